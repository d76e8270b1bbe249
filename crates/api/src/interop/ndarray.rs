//! `ndarray` ↔ lapis (feature `ndarray`): n-d views both ways over the same memory, and
//! owned arrays that hand their buffer over.
//!
//! Both libraries count strides in elements and allow negative ones; they differ in where
//! the data starts. A lapis array keeps the whole storage plus the offset of element
//! `[0, …]`; ndarray's safe constructors want the slice to start at the element lowest in
//! memory. The conversions below translate one into the other.

use ::ndarray as nd;
use nd::{Dimension, IxDyn, ShapeBuilder};

use super::span;
use crate::array::shape::c_strides;
use crate::{Array, ArrayBase, ArrayView, ArrayViewMut, CowArray, CowRepr, Data, DataMut};
use crate::{Element, LinalgError};

/// Fails unless `D` can hold `ndim` axes (`IxDyn` holds any number).
fn check_ndim<D: Dimension>(op: &'static str, shape: &[usize]) -> Result<(), LinalgError> {
    match D::NDIM {
        Some(n) if n != shape.len() => Err(LinalgError::shape(
            op,
            &[shape],
            format!(
                "expected {n} dimensions for this ndarray type, got {}",
                shape.len()
            ),
        )),
        _ => Ok(()),
    }
}

/// ndarray's shape-and-strides argument for a layout (strides as ndarray stores them:
/// `isize` values in `usize` slots).
fn stride_shape(shape: &[usize], strides: &[isize]) -> nd::StrideShape<IxDyn> {
    let us: Vec<usize> = strides.iter().map(|&s| s as usize).collect();
    IxDyn(shape).strides(IxDyn(&us))
}

fn nd_error(op: &'static str, e: nd::ShapeError) -> LinalgError {
    LinalgError::invalid(op, format!("ndarray rejected the layout: {e}"))
}

/// ndarray's own test for an owned or mutable layout: sorted by |stride|, each axis must
/// step past everything the faster axes reach. It is stricter than "no two indices share an
/// element" for exotic interleaved layouts, which then take the copying path.
fn no_overlap(shape: &[usize], strides: &[isize]) -> bool {
    let mut axes: Vec<(usize, usize)> = shape
        .iter()
        .zip(strides)
        .filter(|&(&d, _)| d > 1)
        .map(|(&d, &s)| (s.unsigned_abs(), d))
        .collect();
    axes.sort_unstable();
    let mut reach = 0usize;
    for (s, d) in axes {
        if s <= reach {
            return false;
        }
        reach += s * (d - 1);
    }
    true
}

/// The offset of the logical first element from the lowest one in memory.
fn offset_from_low(shape: &[usize], strides: &[isize]) -> usize {
    shape
        .iter()
        .zip(strides)
        .filter(|&(&d, &s)| d > 1 && s < 0)
        .map(|(&d, &s)| (-s) as usize * (d - 1))
        .sum()
}

/// An ndarray view of `data` laid out as (`shape`, `strides`, `offset`).
fn view_of<'a, T, D: Dimension>(
    op: &'static str,
    data: &'a [T],
    shape: &[usize],
    strides: &[isize],
    offset: usize,
) -> Result<nd::ArrayView<'a, T, D>, LinalgError> {
    check_ndim::<D>(op, shape)?;
    let v = match span(shape, strides, offset) {
        Some((low, high)) => {
            nd::ArrayView::from_shape(stride_shape(shape, strides), &data[low..=high])
        }
        None => nd::ArrayView::from_shape(IxDyn(shape), &data[..0]),
    }
    .map_err(|e| nd_error(op, e))?;
    v.into_dimensionality::<D>().map_err(|e| nd_error(op, e))
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A zero-copy `ndarray` view of this array, for any strides (negative and 0 included).
    /// `D` is the ndarray dimension type (`IxDyn` for any number of axes, `Ix2`, …); fails
    /// when it has another number of axes.
    ///
    /// ```
    /// use lapis::{array, s};
    /// use ndarray::{Ix2, IxDyn};
    /// // numpy: b = a[:, ::-1]  (a view, then used by another library)
    /// let a = array![[1., 2., 3.], [4., 5., 6.]];
    /// let b = a.slice(s![.., ..;-1]);
    /// let v = b.as_ndarray::<Ix2>().unwrap();
    /// assert_eq!(v, ndarray::array![[3., 2., 1.], [6., 5., 4.]]);
    /// assert!(std::ptr::eq(&v[[0, 0]], &a[[0, 2]]));
    /// assert!(a.as_ndarray::<IxDyn>().is_ok());
    /// assert!(a.as_ndarray::<ndarray::Ix3>().is_err());
    /// ```
    pub fn as_ndarray<D: Dimension>(&self) -> Result<nd::ArrayView<'_, T, D>, LinalgError> {
        view_of(
            "as_ndarray",
            self.data.storage(),
            &self.shape,
            &self.strides,
            self.offset,
        )
    }
}

impl<'a, T: Element> ArrayView<'a, T> {
    /// [`as_ndarray`](ArrayBase::as_ndarray) that consumes the view and keeps its lifetime.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T viewed by ndarray
    /// let a = array![[1., 2.], [3., 4.]];
    /// let v = a.t().into_ndarray::<ndarray::Ix2>().unwrap();
    /// assert_eq!(v, ndarray::array![[1., 3.], [2., 4.]]);
    /// ```
    pub fn into_ndarray<D: Dimension>(self) -> Result<nd::ArrayView<'a, T, D>, LinalgError> {
        view_of(
            "into_ndarray",
            self.data,
            &self.shape,
            &self.strides,
            self.offset,
        )
    }

    /// A zero-copy lapis view of an `ndarray` view whose elements are dense in memory, in
    /// any axis order and with any signs of strides (C, Fortran, transposed, reversed).
    ///
    /// Fails with [`LinalgError::Unsupported`] for a view with gaps (e.g. every other row):
    /// ndarray lends the slice behind a view only when it is dense, and lapis builds views
    /// from slices. [`CowArray::from_ndarray`] copies in that case instead.
    ///
    /// ```
    /// use lapis::ArrayView;
    /// use ndarray::s;
    /// // numpy: np.asarray(b) for b = a.T, a[::-1] (dense), a[::2] (strided)
    /// let a = ndarray::array![[1., 2.], [3., 4.], [5., 6.]];
    /// let t = ArrayView::from_ndarray(a.t()).unwrap();
    /// assert_eq!(t, lapis::array![[1., 3., 5.], [2., 4., 6.]]);
    /// assert!(std::ptr::eq(&t[[1, 2]], &a[[2, 1]]));
    /// let r = ArrayView::from_ndarray(a.slice(s![..;-1, ..])).unwrap();
    /// assert_eq!(r.strides(), &[-2, 1]);
    /// assert!(ArrayView::from_ndarray(a.slice(s![..;2, ..])).is_err());
    /// ```
    pub fn from_ndarray<D: Dimension>(v: nd::ArrayView<'a, T, D>) -> Result<Self, LinalgError> {
        let shape = v.shape().to_vec();
        let strides = v.strides().to_vec();
        if shape.contains(&0) {
            let strides = c_strides(&shape);
            return Ok(ArrayBase::from_parts(&[][..], shape, strides, 0));
        }
        match v.to_slice_memory_order() {
            Some(data) => {
                let offset = offset_from_low(&shape, &strides);
                Ok(ArrayBase::from_parts(data, shape, strides, offset))
            }
            None => Err(not_dense("from_ndarray", &shape, &strides)),
        }
    }
}

fn not_dense(op: &'static str, shape: &[usize], strides: &[isize]) -> LinalgError {
    LinalgError::Unsupported {
        op,
        message: format!(
            "the ndarray view (shape {shape:?}, strides {strides:?}) has gaps in memory and \
             ndarray lends no slice for it; CowArray::from_ndarray copies it"
        ),
    }
}

impl<'a, T: Element> ArrayViewMut<'a, T> {
    /// A zero-copy mutable lapis view of a mutable `ndarray` view that is dense in memory
    /// (any axis order and signs). Fails with [`LinalgError::Unsupported`] for a view with
    /// gaps, which ndarray does not lend as a slice.
    ///
    /// ```
    /// use lapis::ArrayViewMut;
    /// // numpy: v = np.asarray(a.T); v[0, 1] = 9.
    /// let mut a = ndarray::array![[1., 2.], [3., 4.]];
    /// let mut v = ArrayViewMut::from_ndarray(a.view_mut().reversed_axes()).unwrap();
    /// v[[0, 1]] = 9.0;
    /// assert_eq!(a, ndarray::array![[1., 2.], [9., 4.]]);
    /// ```
    pub fn from_ndarray<D: Dimension>(v: nd::ArrayViewMut<'a, T, D>) -> Result<Self, LinalgError> {
        let shape = v.shape().to_vec();
        let strides = v.strides().to_vec();
        if shape.contains(&0) {
            let strides = c_strides(&shape);
            return Ok(ArrayBase::from_parts(&mut [][..], shape, strides, 0));
        }
        match v.into_slice_memory_order() {
            Some(data) => {
                let offset = offset_from_low(&shape, &strides);
                Ok(ArrayBase::from_parts(data, shape, strides, offset))
            }
            None => Err(not_dense("from_ndarray", &shape, &strides)),
        }
    }

    /// The mutable `ndarray` view over the same elements (any strides; lapis's mutable views
    /// never alias, so ndarray accepts every layout lapis can make).
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[:, ::-1] *= 10 (through ndarray)
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// let mut v = a.slice_mut(s![.., ..;-1]).into_ndarray_mut::<ndarray::Ix2>().unwrap();
    /// v[[0, 0]] *= 10.0;
    /// assert_eq!(a, array![[1., 20.], [3., 4.]]);
    /// ```
    pub fn into_ndarray_mut<D: Dimension>(self) -> Result<nd::ArrayViewMut<'a, T, D>, LinalgError> {
        view_mut_of(
            "into_ndarray_mut",
            self.data,
            &self.shape,
            &self.strides,
            self.offset,
        )
    }
}

fn view_mut_of<'a, T, D: Dimension>(
    op: &'static str,
    data: &'a mut [T],
    shape: &[usize],
    strides: &[isize],
    offset: usize,
) -> Result<nd::ArrayViewMut<'a, T, D>, LinalgError> {
    check_ndim::<D>(op, shape)?;
    let v = match span(shape, strides, offset) {
        Some((low, high)) => {
            nd::ArrayViewMut::from_shape(stride_shape(shape, strides), &mut data[low..=high])
        }
        None => nd::ArrayViewMut::from_shape(IxDyn(shape), &mut data[..0]),
    }
    .map_err(|e| nd_error(op, e))?;
    v.into_dimensionality::<D>().map_err(|e| nd_error(op, e))
}

impl<T: Element, S: DataMut<Elem = T>> ArrayBase<S> {
    /// A zero-copy mutable `ndarray` view of this array (any strides).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T[0, 1] = 7.
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// a.as_ndarray_mut::<ndarray::Ix2>().unwrap().reversed_axes()[[0, 1]] = 7.0;
    /// assert_eq!(a, array![[1., 2.], [7., 4.]]);
    /// ```
    pub fn as_ndarray_mut<D: Dimension>(
        &mut self,
    ) -> Result<nd::ArrayViewMut<'_, T, D>, LinalgError> {
        let (shape, strides, offset) = (self.shape.clone(), self.strides.clone(), self.offset);
        view_mut_of(
            "as_ndarray_mut",
            self.data.storage_mut(),
            &shape,
            &strides,
            offset,
        )
    }
}

impl<'a, T: Element> CowArray<'a, T> {
    /// A lapis view of an `ndarray` view when it is dense in memory, a C-order copy when it
    /// has gaps ([`is_view`](ArrayBase::is_view) tells which).
    ///
    /// ```
    /// use lapis::CowArray;
    /// use ndarray::s;
    /// // numpy: np.asarray(a[::2])
    /// let a = ndarray::array![[1., 2.], [3., 4.], [5., 6.]];
    /// let c = CowArray::from_ndarray(a.slice(s![..;2, ..]));
    /// assert!(!c.is_view());
    /// assert_eq!(c, lapis::array![[1., 2.], [5., 6.]]);
    /// assert!(CowArray::from_ndarray(a.view()).is_view());
    /// ```
    pub fn from_ndarray<D: Dimension>(v: nd::ArrayView<'a, T, D>) -> Self {
        let shape = v.shape().to_vec();
        let strides = v.strides().to_vec();
        if shape.contains(&0) {
            let strides = c_strides(&shape);
            return ArrayBase::from_parts(CowRepr::View(&[][..]), shape, strides, 0);
        }
        if let Some(data) = v.to_slice_memory_order() {
            let offset = offset_from_low(&shape, &strides);
            return ArrayBase::from_parts(CowRepr::View(data), shape, strides, offset);
        }
        let copy: Vec<T> = v.iter().copied().collect();
        let strides = c_strides(&shape);
        ArrayBase::from_parts(CowRepr::Owned(copy), shape, strides, 0)
    }
}

impl<T: Element> Array<T> {
    /// Takes over an owned `ndarray` array's buffer without copying, whatever its layout
    /// (sliced, transposed, reversed).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.asarray(a) for an owned array
    /// let a = ndarray::array![[1., 2.], [3., 4.]].reversed_axes();
    /// let p = a.as_ptr();
    /// let b = Array::from_ndarray(a);
    /// assert_eq!(b, lapis::array![[1., 3.], [2., 4.]]);
    /// assert!(std::ptr::eq(p, &b[[0, 0]]));
    /// ```
    pub fn from_ndarray<D: Dimension>(a: nd::Array<T, D>) -> Self {
        let shape = a.shape().to_vec();
        let strides = a.strides().to_vec();
        let (data, offset) = a.into_raw_vec_and_offset();
        if shape.contains(&0) {
            let strides = c_strides(&shape);
            return Array::from_parts(Vec::new(), shape, strides, 0);
        }
        Array::from_parts(data, shape, strides, offset.unwrap_or(0))
    }

    /// Hands this array's buffer to an owned `ndarray` array, keeping the layout, when the
    /// element lowest in memory is at the start of the buffer (true of every array lapis
    /// creates, including reversed and transposed ones); otherwise (an owned array sliced
    /// in place past its start) it copies into C order. Fails only when `D` has another
    /// number of axes.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T handed to ndarray
    /// let a = array![[1., 2.], [3., 4.]].reversed_axes();
    /// let p: *const f64 = &a[[0, 0]];
    /// let b = a.into_ndarray::<ndarray::Ix2>().unwrap();
    /// assert_eq!(b, ndarray::array![[1., 3.], [2., 4.]]);
    /// assert_eq!(b.as_ptr(), p);
    /// ```
    pub fn into_ndarray<D: Dimension>(self) -> Result<nd::Array<T, D>, LinalgError> {
        const OP: &str = "into_ndarray";
        check_ndim::<D>(OP, &self.shape)?;
        let a = match span(&self.shape, &self.strides, self.offset) {
            Some((0, _)) if no_overlap(&self.shape, &self.strides) => {
                let layout = stride_shape(&self.shape, &self.strides);
                match nd::Array::from_shape_vec(layout, self.data) {
                    Ok(a) => a,
                    Err(e) => return Err(nd_error(OP, e)),
                }
            }
            Some(_) => {
                let v = self.to_vec();
                nd::Array::from_shape_vec(IxDyn(&self.shape), v).map_err(|e| nd_error(OP, e))?
            }
            None => nd::Array::from_shape_vec(IxDyn(&self.shape), Vec::new())
                .map_err(|e| nd_error(OP, e))?,
        };
        a.into_dimensionality::<D>().map_err(|e| nd_error(OP, e))
    }
}

impl<T: Element, D: Dimension> From<nd::Array<T, D>> for Array<T> {
    /// [`Array::from_ndarray`]: moves the buffer, never copies.
    fn from(a: nd::Array<T, D>) -> Self {
        Array::from_ndarray(a)
    }
}
