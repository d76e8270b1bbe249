//! The n-d array: [`Array`] (owned), [`ArrayView`] and [`ArrayViewMut`] (borrowed), and
//! [`CowArray`] (either, as returned by `reshape`).
//!
//! All four are one struct, [`ArrayBase`], over a storage `S`: a `Vec<T>`, a `&[T]`, a
//! `&mut [T]` or a copy-on-write of the two. The layout is numpy's: a shape, strides in
//! elements (any sign, 0 on broadcast axes) and the offset of element `[0, 0, …]` in the
//! storage. Every method that only reads is available on all four; methods that write need
//! a mutable storage ([`DataMut`]).
//!
//! Invariant kept by every constructor: every index inside the shape maps to an offset
//! inside the storage, and, for owned and mutable arrays, distinct indices map to distinct
//! offsets (only read-only views may have stride 0).

mod broadcast;
mod compare;
mod complex;
mod create;
mod cumulative;
mod display;
mod iter;
mod join;
mod lanes;
mod logical;
mod macros;
mod mask;
mod math;
mod ops;
mod reduce;
pub(crate) mod shape;
mod slice;
mod sort;
mod stats;
mod take;
mod view;

use core::ops::{Index, IndexMut};

use lapis_kernels::{MatMut, MatRef};

use crate::{Element, LinalgError};

pub use broadcast::broadcast_shapes;
pub use create::{Indexing, diag, diagflat, meshgrid};
pub use iter::Iter;
pub use join::{concatenate, hstack, split, split_indices, stack, vstack};
pub use mask::where_;
pub use math::{allclose, allclose_with, isclose, isclose_with};
pub use slice::{NewAxis, SliceArg, SliceInfo};
pub use sort::Side;
pub use take::IndexElement;

mod sealed {
    pub trait Sealed {}
    impl<T> Sealed for Vec<T> {}
    impl<T> Sealed for &[T] {}
    impl<T> Sealed for &mut [T] {}
    impl<T> Sealed for super::CowRepr<'_, T> {}
}

/// Storage an [`ArrayBase`] can read from. Sealed.
pub trait Data: sealed::Sealed {
    /// The element type.
    type Elem: Element;
    /// All of the storage (the array's elements lie somewhere inside).
    fn storage(&self) -> &[Self::Elem];
}

/// Storage an [`ArrayBase`] can write to. Sealed.
pub trait DataMut: Data {
    /// All of the storage, mutably.
    fn storage_mut(&mut self) -> &mut [Self::Elem];
}

impl<T: Element> Data for Vec<T> {
    type Elem = T;
    #[inline]
    fn storage(&self) -> &[T] {
        self
    }
}
impl<T: Element> DataMut for Vec<T> {
    #[inline]
    fn storage_mut(&mut self) -> &mut [T] {
        self
    }
}
impl<T: Element> Data for &[T] {
    type Elem = T;
    #[inline]
    fn storage(&self) -> &[T] {
        self
    }
}
impl<T: Element> Data for &mut [T] {
    type Elem = T;
    #[inline]
    fn storage(&self) -> &[T] {
        self
    }
}
impl<T: Element> DataMut for &mut [T] {
    #[inline]
    fn storage_mut(&mut self) -> &mut [T] {
        self
    }
}

/// Storage of a [`CowArray`]: borrowed (a view) or owned (a copy had to be made).
#[derive(Clone, Debug)]
pub enum CowRepr<'a, T> {
    /// Borrowed elements: no copy was made.
    View(&'a [T]),
    /// Owned elements: a copy was made.
    Owned(Vec<T>),
}

impl<T: Element> Data for CowRepr<'_, T> {
    type Elem = T;
    #[inline]
    fn storage(&self) -> &[T] {
        match self {
            CowRepr::View(s) => s,
            CowRepr::Owned(v) => v,
        }
    }
}

/// An n-d array over storage `S`; use the aliases [`Array`], [`ArrayView`],
/// [`ArrayViewMut`] and [`CowArray`].
///
/// ```
/// use lapis::{array, Array};
/// // numpy: a = np.array([[1., 2., 3.], [4., 5., 6.]])
/// let a = array![[1., 2., 3.], [4., 5., 6.]];
/// assert_eq!(a.shape(), &[2, 3]);
/// assert_eq!(a.strides(), &[3, 1]);
/// assert_eq!(a[[1, 2]], 6.0);
/// ```
#[derive(Clone)]
pub struct ArrayBase<S> {
    pub(crate) data: S,
    pub(crate) shape: Vec<usize>,
    pub(crate) strides: Vec<isize>,
    pub(crate) offset: usize,
}

/// An owned n-d array (numpy's `ndarray` that owns its data).
pub type Array<T> = ArrayBase<Vec<T>>;
/// A read-only view into an array's elements (strides may be negative or 0).
pub type ArrayView<'a, T> = ArrayBase<&'a [T]>;
/// A mutable view into an array's elements.
pub type ArrayViewMut<'a, T> = ArrayBase<&'a mut [T]>;
/// A view when one was possible, an owned copy otherwise (returned by `reshape`,
/// `as_contiguous`).
pub type CowArray<'a, T> = ArrayBase<CowRepr<'a, T>>;

impl<S> ArrayBase<S> {
    /// Builds an array from parts the caller has checked against the invariant.
    #[inline]
    pub(crate) fn from_parts(
        data: S,
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
    ) -> Self {
        ArrayBase {
            data,
            shape,
            strides,
            offset,
        }
    }

    /// The length of each axis (numpy's `a.shape`).
    ///
    /// ```
    /// // numpy: np.zeros((2, 3)).shape
    /// assert_eq!(lapis::Array::<f64>::zeros(&[2, 3]).shape(), &[2, 3]);
    /// ```
    #[inline]
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The distance in **elements** between neighbours along each axis (numpy's
    /// `a.strides` divided by `a.itemsize`).
    ///
    /// ```
    /// // numpy: np.zeros((2, 3)).T.strides  -> (8, 24) bytes
    /// let a = lapis::Array::<f64>::zeros(&[2, 3]);
    /// assert_eq!(a.t().strides(), &[1, 3]);
    /// ```
    #[inline]
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }

    /// The number of axes (numpy's `a.ndim`).
    ///
    /// ```
    /// // numpy: np.zeros((2, 3, 4)).ndim
    /// assert_eq!(lapis::Array::<f64>::zeros(&[2, 3, 4]).ndim(), 3);
    /// ```
    #[inline]
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The number of elements (numpy's `a.size`).
    ///
    /// ```
    /// // numpy: np.zeros((2, 3)).size
    /// assert_eq!(lapis::Array::<f64>::zeros(&[2, 3]).len(), 6);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        shape::size(&self.shape)
    }

    /// Whether the array has no elements (some axis has length 0).
    ///
    /// ```
    /// // numpy: np.zeros((2, 0)).size == 0
    /// assert!(lapis::Array::<f64>::zeros(&[2, 0]).is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.shape.contains(&0)
    }

    /// Whether the elements are dense in C (row-major) order (numpy's
    /// `a.flags['C_CONTIGUOUS']`).
    ///
    /// ```
    /// // numpy: np.zeros((2, 3)).flags['C_CONTIGUOUS'], np.zeros((2, 3)).T.flags['C_CONTIGUOUS']
    /// let a = lapis::Array::<f64>::zeros(&[2, 3]);
    /// assert!(a.is_c_contiguous());
    /// assert!(!a.t().is_c_contiguous());
    /// ```
    pub fn is_c_contiguous(&self) -> bool {
        shape::is_c_contiguous(&self.shape, &self.strides)
    }

    /// Whether the elements are dense in Fortran (column-major) order (numpy's
    /// `a.flags['F_CONTIGUOUS']`).
    ///
    /// ```
    /// // numpy: np.zeros((2, 3)).T.flags['F_CONTIGUOUS']
    /// let a = lapis::Array::<f64>::zeros(&[2, 3]);
    /// assert!(a.t().is_f_contiguous());
    /// ```
    pub fn is_f_contiguous(&self) -> bool {
        shape::is_f_contiguous(&self.shape, &self.strides)
    }

    /// The storage offset of the element at `index`, if the index is in range.
    #[inline]
    pub(crate) fn offset_of(&self, index: &[usize]) -> Option<usize> {
        if index.len() != self.shape.len() {
            return None;
        }
        let mut off = self.offset as isize;
        for ((&i, &d), &s) in index.iter().zip(&self.shape).zip(&self.strides) {
            if i >= d {
                return None;
            }
            off += i as isize * s;
        }
        Some(off as usize)
    }

    fn index_panic(&self, index: &[usize]) -> ! {
        panic!(
            "index {:?} is out of bounds for array of shape {}",
            index,
            crate::error::fmt_shape(&self.shape)
        )
    }
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A read-only view of the whole array (free).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: v = a.view()
    /// let a = array![1., 2., 3.];
    /// let v = a.view();
    /// assert_eq!(v.to_vec(), vec![1., 2., 3.]);
    /// ```
    #[inline]
    pub fn view(&self) -> ArrayView<'_, T> {
        ArrayBase::from_parts(
            self.data.storage(),
            self.shape.clone(),
            self.strides.clone(),
            self.offset,
        )
    }

    /// The element at `index` (one entry per axis), or `None` when out of range.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a[1, 0]
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.get(&[1, 0]), Some(&3.0));
    /// assert_eq!(a.get(&[2, 0]), None);
    /// ```
    #[inline]
    pub fn get(&self, index: &[usize]) -> Option<&T> {
        self.offset_of(index).map(|o| &self.data.storage()[o])
    }

    /// The single element of a 0-d or size-1 array (numpy's `a.item()`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.dot([1., 2.], [3., 4.]).item()
    /// let d = lapis::dot(&array![1., 2.], &array![3., 4.]).unwrap();
    /// assert_eq!(d.item(), Some(11.0));
    /// ```
    pub fn item(&self) -> Option<T> {
        if self.len() == 1 {
            Some(self.data.storage()[self.offset])
        } else {
            None
        }
    }

    /// The single element of a 0-d or size-1 array as a `Result`, so that a reduction,
    /// `det` or `norm` of one matrix reads as a number with `?` (numpy's `a.item()`, which
    /// raises `ValueError` for other sizes).
    ///
    /// Fails with [`LinalgError::Shape`] (op `"item"`, naming the shape) unless the array
    /// holds exactly one element. [`item`](Self::item) is the same as an `Option`.
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// # fn main() -> Result<(), lapis::LinalgError> {
    /// // numpy: np.linalg.det([[1., 2.], [3., 4.]]).item()  -> -2.0 (up to rounding)
    /// let d: f64 = linalg::det(&array![[1., 2.], [3., 4.]])?.into_scalar()?;
    /// assert!((d + 2.0).abs() < 1e-14);
    /// // numpy: np.zeros((2, 3)).item()  -> ValueError
    /// let err = lapis::Array::<f64>::zeros(&[2, 3]).into_scalar().unwrap_err();
    /// assert!(err.to_string().contains("(2, 3)"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_scalar(self) -> Result<T, LinalgError> {
        self.item().ok_or_else(|| {
            LinalgError::shape(
                "item",
                &[self.shape()],
                "can only convert an array of size 1 to a scalar",
            )
        })
    }

    /// The elements in C (row-major) order, as a `Vec`.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T.ravel().tolist()
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.t().to_vec(), vec![1., 3., 2., 4.]);
    /// ```
    pub fn to_vec(&self) -> Vec<T> {
        if let Some(s) = self.as_slice() {
            return s.to_vec();
        }
        let mut out = Vec::with_capacity(self.len());
        let data = self.data.storage();
        shape::walk(&self.shape, [&self.strides], [self.offset], |[o]| {
            out.push(data[o])
        });
        out
    }

    /// The elements as one slice in C order, when they are dense in C order.
    ///
    /// ```
    /// use lapis::array;
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.as_slice(), Some(&[1., 2., 3., 4.][..]));
    /// assert_eq!(a.t().as_slice(), None);
    /// ```
    pub fn as_slice(&self) -> Option<&[T]> {
        if self.is_c_contiguous() {
            let n = self.len();
            Some(&self.data.storage()[self.offset..self.offset + n])
        } else {
            None
        }
    }

    /// An owned copy of the elements in C order (numpy's `a.copy()`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: b = a.T.copy()
    /// let a = array![[1., 2.], [3., 4.]];
    /// let b = a.t().to_owned();
    /// assert!(b.is_c_contiguous());
    /// assert_eq!(b, array![[1., 3.], [2., 4.]]);
    /// ```
    pub fn to_owned(&self) -> Array<T> {
        Array::from_parts(
            self.to_vec(),
            self.shape.clone(),
            shape::c_strides(&self.shape),
            0,
        )
    }

    /// This array when it is already dense in C order, otherwise a C-ordered copy (numpy's
    /// `np.ascontiguousarray(a)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.ascontiguousarray(a.T)
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert!(a.as_contiguous().is_view());
    /// let c = a.t().as_contiguous().into_owned();
    /// assert_eq!(c.as_slice(), Some(&[1., 3., 2., 4.][..]));
    /// ```
    pub fn as_contiguous(&self) -> CowArray<'_, T> {
        if self.is_c_contiguous() {
            ArrayBase::from_parts(
                CowRepr::View(self.data.storage()),
                self.shape.clone(),
                self.strides.clone(),
                self.offset,
            )
        } else {
            let shape = self.shape.clone();
            let strides = shape::c_strides(&shape);
            ArrayBase::from_parts(CowRepr::Owned(self.to_vec()), shape, strides, 0)
        }
    }

    /// An iterator over the elements in C (row-major) order, whatever the layout.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: list(a.T.flat)
    /// let a = array![[1., 2.], [3., 4.]];
    /// let v: Vec<f64> = a.t().iter().copied().collect();
    /// assert_eq!(v, vec![1., 3., 2., 4.]);
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter::new(self.data.storage(), &self.shape, &self.strides, self.offset)
    }

    /// A zero-copy kernel view of a 2-D array (any strides), for the BLAS-level kernels.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T (as a matrix the kernels read in place)
    /// let a = array![[1., 2., 3.], [4., 5., 6.]];
    /// let t = a.t();
    /// let m = t.as_mat().unwrap();
    /// assert_eq!(m.shape(), (3, 2));
    /// assert_eq!(m.get(2, 1), 6.0);
    /// ```
    pub fn as_mat(&self) -> Result<MatRef<'_, T>, LinalgError> {
        if self.ndim() != 2 {
            return Err(LinalgError::shape(
                "as_mat",
                &[&self.shape],
                format!("expected a 2-D array, got {} dimensions", self.ndim()),
            ));
        }
        MatRef::from_slice_with_offset(
            self.data.storage(),
            self.offset,
            self.shape[0],
            self.shape[1],
            self.strides[0],
            self.strides[1],
        )
        .map_err(|e| LinalgError::invalid("as_mat", e.to_string()))
    }

    /// Whether the view borrows (true) or holds a copy (false); always true for views and
    /// false for owned arrays.
    ///
    /// ```
    /// use lapis::array;
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert!(a.reshape(&[4]).unwrap().is_view());
    /// assert!(!a.t().reshape(&[4]).unwrap().is_view());
    /// ```
    pub fn is_view(&self) -> bool
    where
        S: IsView,
    {
        self.data.is_view()
    }

    /// An owned array with the same elements (no copy when this already owns them).
    ///
    /// ```
    /// use lapis::array;
    /// let a = array![[1., 2.], [3., 4.]];
    /// let b = a.reshape(&[4]).unwrap().into_owned();
    /// assert_eq!(b.shape(), &[4]);
    /// ```
    pub fn into_owned(self) -> Array<T>
    where
        S: IsView,
    {
        match self.data.into_vec() {
            Ok(v) => Array::from_parts(v, self.shape, self.strides, self.offset),
            Err(data) => {
                ArrayBase::from_parts(data, self.shape, self.strides, self.offset).to_owned()
            }
        }
    }
}

/// Storage that can tell whether it borrows, and give up its vector when it owns one.
pub trait IsView: Data + Sized {
    /// Whether the storage is borrowed.
    fn is_view(&self) -> bool;
    /// The owned vector, or the storage back when it borrows.
    fn into_vec(self) -> Result<Vec<Self::Elem>, Self>;
}

impl<T: Element> IsView for Vec<T> {
    fn is_view(&self) -> bool {
        false
    }
    fn into_vec(self) -> Result<Vec<T>, Self> {
        Ok(self)
    }
}
impl<T: Element> IsView for &[T] {
    fn is_view(&self) -> bool {
        true
    }
    fn into_vec(self) -> Result<Vec<T>, Self> {
        Err(self)
    }
}
impl<T: Element> IsView for &mut [T] {
    fn is_view(&self) -> bool {
        true
    }
    fn into_vec(self) -> Result<Vec<T>, Self> {
        Err(self)
    }
}
impl<T: Element> IsView for CowRepr<'_, T> {
    fn is_view(&self) -> bool {
        matches!(self, CowRepr::View(_))
    }
    fn into_vec(self) -> Result<Vec<T>, Self> {
        match self {
            CowRepr::Owned(v) => Ok(v),
            view => Err(view),
        }
    }
}

impl<T: Element, S: DataMut<Elem = T>> ArrayBase<S> {
    /// A mutable view of the whole array.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: v = a.view(); v[0] = 9.
    /// let mut a = array![1., 2., 3.];
    /// a.view_mut()[[0]] = 9.0;
    /// assert_eq!(a[[0]], 9.0);
    /// ```
    #[inline]
    pub fn view_mut(&mut self) -> ArrayViewMut<'_, T> {
        let (shape, strides, offset) = (self.shape.clone(), self.strides.clone(), self.offset);
        ArrayBase::from_parts(self.data.storage_mut(), shape, strides, offset)
    }

    /// The element at `index`, mutably, or `None` when out of range.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a[0, 1] += 10
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// *a.get_mut(&[0, 1]).unwrap() += 10.0;
    /// assert_eq!(a[[0, 1]], 12.0);
    /// ```
    #[inline]
    pub fn get_mut(&mut self, index: &[usize]) -> Option<&mut T> {
        self.offset_of(index)
            .map(|o| &mut self.data.storage_mut()[o])
    }

    /// The elements as one mutable slice in C order, when they are dense in C order.
    ///
    /// ```
    /// use lapis::array;
    /// let mut a = array![1., 2.];
    /// a.as_slice_mut().unwrap()[1] = 5.0;
    /// assert_eq!(a, array![1., 5.]);
    /// ```
    pub fn as_slice_mut(&mut self) -> Option<&mut [T]> {
        if self.is_c_contiguous() {
            let (o, n) = (self.offset, self.len());
            Some(&mut self.data.storage_mut()[o..o + n])
        } else {
            None
        }
    }

    /// Sets every element to `value` (numpy's `a.fill(value)` / `a[...] = value`).
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[:, 0] = 7.
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// a.slice_mut(s![.., 0]).fill(7.0);
    /// assert_eq!(a, array![[7., 2.], [7., 4.]]);
    /// ```
    pub fn fill(&mut self, value: T) {
        self.map_inplace(|_| value);
    }

    /// Replaces every element `x` by `f(x)`, in place.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a *= 2 (through a function)
    /// let mut a = array![1., 2.];
    /// a.map_inplace(|x| 2.0 * x);
    /// assert_eq!(a, array![2., 4.]);
    /// ```
    pub fn map_inplace(&mut self, mut f: impl FnMut(T) -> T) {
        if let Some(s) = self.as_slice_mut() {
            s.iter_mut().for_each(|x| *x = f(*x));
            return;
        }
        let (shape, strides, offset) = (&self.shape, &self.strides, self.offset);
        let data = self.data.storage_mut();
        shape::walk(shape, [strides], [offset], |[o]| data[o] = f(data[o]));
    }

    /// Copies `src` into this array, broadcasting it to this shape (numpy's `a[...] = src`).
    ///
    /// Fails when `src` does not broadcast to this array's shape.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a[...] = [10., 20.]
    /// let mut a = lapis::Array::<f64>::zeros(&[2, 2]);
    /// a.assign(&array![10., 20.]).unwrap();
    /// assert_eq!(a, array![[10., 20.], [10., 20.]]);
    /// ```
    pub fn assign<S2: Data<Elem = T>>(&mut self, src: &ArrayBase<S2>) -> Result<(), LinalgError> {
        let src = src
            .broadcast_to(&self.shape)
            .map_err(|_| LinalgError::Broadcast {
                shapes: vec![src.shape.clone(), self.shape.clone()],
            })?;
        let sdata = src.data;
        let (shape, strides, offset) = (&self.shape, &self.strides, self.offset);
        let data = self.data.storage_mut();
        shape::walk(
            shape,
            [strides, &src.strides],
            [offset, src.offset],
            |[o, i]| data[o] = sdata[i],
        );
        Ok(())
    }

    /// A zero-copy mutable kernel view of a 2-D array.
    ///
    /// ```
    /// use lapis::array;
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// a.as_mat_mut().unwrap().write(0, 1, 9.0);
    /// assert_eq!(a[[0, 1]], 9.0);
    /// ```
    pub fn as_mat_mut(&mut self) -> Result<MatMut<'_, T>, LinalgError> {
        if self.ndim() != 2 {
            return Err(LinalgError::shape(
                "as_mat_mut",
                &[&self.shape],
                format!("expected a 2-D array, got {} dimensions", self.ndim()),
            ));
        }
        let (r, c, rs, cs, off) = (
            self.shape[0],
            self.shape[1],
            self.strides[0],
            self.strides[1],
            self.offset,
        );
        MatMut::from_slice_with_offset(self.data.storage_mut(), off, r, c, rs, cs)
            .map_err(|e| LinalgError::invalid("as_mat_mut", e.to_string()))
    }
}

impl<T: Element, S: Data<Elem = T>, const N: usize> Index<[usize; N]> for ArrayBase<S> {
    type Output = T;
    /// `a[[i, j]]`; panics when the index is out of range or has the wrong length.
    #[inline]
    fn index(&self, index: [usize; N]) -> &T {
        match self.offset_of(&index) {
            Some(o) => &self.data.storage()[o],
            None => self.index_panic(&index),
        }
    }
}

impl<T: Element, S: DataMut<Elem = T>, const N: usize> IndexMut<[usize; N]> for ArrayBase<S> {
    #[inline]
    fn index_mut(&mut self, index: [usize; N]) -> &mut T {
        match self.offset_of(&index) {
            Some(o) => &mut self.data.storage_mut()[o],
            None => self.index_panic(&index),
        }
    }
}

impl<T: Element, S: Data<Elem = T>> Index<&[usize]> for ArrayBase<S> {
    type Output = T;
    #[inline]
    fn index(&self, index: &[usize]) -> &T {
        match self.offset_of(index) {
            Some(o) => &self.data.storage()[o],
            None => self.index_panic(index),
        }
    }
}

impl<T: Element, S: DataMut<Elem = T>> IndexMut<&[usize]> for ArrayBase<S> {
    #[inline]
    fn index_mut(&mut self, index: &[usize]) -> &mut T {
        match self.offset_of(index) {
            Some(o) => &mut self.data.storage_mut()[o],
            None => self.index_panic(index),
        }
    }
}

impl<T: Element, S1: Data<Elem = T>, S2: Data<Elem = T>> PartialEq<ArrayBase<S2>>
    for ArrayBase<S1>
{
    /// Same shape and equal elements (numpy's `np.array_equal`; NaN ≠ NaN).
    fn eq(&self, other: &ArrayBase<S2>) -> bool {
        if self.shape != other.shape {
            return false;
        }
        let (a, b) = (self.data.storage(), other.data.storage());
        let mut eq = true;
        shape::walk(
            &self.shape,
            [&self.strides, &other.strides],
            [self.offset, other.offset],
            |[i, j]| eq &= a[i] == b[j],
        );
        eq
    }
}
