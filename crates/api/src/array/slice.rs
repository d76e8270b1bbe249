//! Basic slicing with numpy's semantics: the [`s!`](crate::s) macro builds a [`SliceInfo`]
//! (ranges with steps, negative indices and steps, single indices that drop an axis, new
//! axes); `slice`, `slice_mut` and `slice_move` apply it without copying.
//!
//! Ranges follow Python exactly: `s![5..;-1]` on length 10 is `a[5::-1]`, i.e. 5, 4, …, 0
//! (ndarray instead reverses the sliced range; numpy's rule is used here). Out-of-range
//! range bounds are clipped as in Python; out-of-range single indices are an error. Missing
//! trailing axes are taken whole. `...` (Ellipsis) is not supported.

use core::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo, RangeToInclusive};

use super::{ArrayBase, ArrayView, ArrayViewMut, Data, DataMut};
use crate::{Element, LinalgError};

/// Inserts a new axis of length 1 (numpy's `np.newaxis` / `None` in an index).
///
/// ```
/// use lapis::{array, s, NewAxis};
/// // numpy: a[:, np.newaxis]
/// let a = array![1., 2., 3.];
/// assert_eq!(a.slice(s![.., NewAxis]).shape(), &[3, 1]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewAxis;

/// One entry of a slicing expression.
///
/// ```
/// use lapis::SliceArg;
/// // numpy: a[1:5:2]
/// let r = SliceArg::from(1..5).step_by(2);
/// assert_eq!(r, SliceArg::Range { start: Some(1), end: Some(5), step: 2 });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceArg {
    /// A single index (negative counts from the end); the axis is removed.
    Index(isize),
    /// `start:end:step` with Python's defaults for missing bounds.
    Range {
        /// First index (inclusive), `None` for the default.
        start: Option<isize>,
        /// Last index (exclusive), `None` for the default.
        end: Option<isize>,
        /// Step, non-zero; negative walks backwards.
        step: isize,
    },
    /// A new axis of length 1.
    NewAxis,
}

impl SliceArg {
    /// The same range with step `step` (the `;step` of [`s!`](crate::s)).
    ///
    /// Panics on a single index or a new axis, which cannot be stepped.
    ///
    /// ```
    /// use lapis::SliceArg;
    /// // numpy: a[::-1]
    /// assert_eq!(
    ///     SliceArg::from(..).step_by(-1),
    ///     SliceArg::Range { start: None, end: None, step: -1 }
    /// );
    /// ```
    pub fn step_by(self, step: isize) -> SliceArg {
        match self {
            SliceArg::Range { start, end, .. } => SliceArg::Range { start, end, step },
            other => panic!("s![]: only a range can have a step, not {other:?}"),
        }
    }
}

impl From<NewAxis> for SliceArg {
    fn from(_: NewAxis) -> Self {
        SliceArg::NewAxis
    }
}

impl From<RangeFull> for SliceArg {
    fn from(_: RangeFull) -> Self {
        SliceArg::Range {
            start: None,
            end: None,
            step: 1,
        }
    }
}

macro_rules! slice_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for SliceArg {
            fn from(i: $t) -> Self {
                SliceArg::Index(i as isize)
            }
        }
        impl From<Range<$t>> for SliceArg {
            fn from(r: Range<$t>) -> Self {
                SliceArg::Range { start: Some(r.start as isize), end: Some(r.end as isize), step: 1 }
            }
        }
        impl From<RangeFrom<$t>> for SliceArg {
            fn from(r: RangeFrom<$t>) -> Self {
                SliceArg::Range { start: Some(r.start as isize), end: None, step: 1 }
            }
        }
        impl From<RangeTo<$t>> for SliceArg {
            fn from(r: RangeTo<$t>) -> Self {
                SliceArg::Range { start: None, end: Some(r.end as isize), step: 1 }
            }
        }
        impl From<RangeInclusive<$t>> for SliceArg {
            fn from(r: RangeInclusive<$t>) -> Self {
                let end = *r.end() as isize;
                SliceArg::Range {
                    start: Some(*r.start() as isize),
                    end: if end == -1 { None } else { Some(end + 1) },
                    step: 1,
                }
            }
        }
        impl From<RangeToInclusive<$t>> for SliceArg {
            fn from(r: RangeToInclusive<$t>) -> Self {
                let end = r.end as isize;
                SliceArg::Range { start: None, end: if end == -1 { None } else { Some(end + 1) }, step: 1 }
            }
        }
    )*};
}

slice_from_int!(isize, usize, i32);

/// A whole slicing expression, one [`SliceArg`] per indexed axis; build it with
/// [`s!`](crate::s).
///
/// ```
/// use lapis::{s, SliceArg, SliceInfo};
/// let info: SliceInfo = s![.., 1];
/// assert_eq!(info.args()[1], SliceArg::Index(1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SliceInfo {
    args: Vec<SliceArg>,
}

impl SliceInfo {
    /// A slicing expression from its entries.
    ///
    /// ```
    /// use lapis::{SliceArg, SliceInfo};
    /// let info = SliceInfo::new(vec![SliceArg::from(..), SliceArg::Index(0)]);
    /// assert_eq!(info.args().len(), 2);
    /// ```
    pub fn new(args: Vec<SliceArg>) -> Self {
        SliceInfo { args }
    }

    /// The entries.
    pub fn args(&self) -> &[SliceArg] {
        &self.args
    }
}

/// numpy's basic indexing: `s![a, b, c]` where each entry is a range (`1..3`, `..`, `2..`,
/// `..-1`), a range with a step (`..;2`, `..;-1`), a single index (`1`, `-1`, drops the
/// axis) or [`NewAxis`](crate::NewAxis).
///
/// A range with a negative step runs from its start down to its end, as in Python:
/// `s![8..2;-3]` is numpy's `a[8:2:-3]`. Clippy's `reversed_empty_ranges` lint flags such
/// literals; allow it where they are used.
///
/// ```
/// use lapis::{array, s, Array};
/// // numpy: a = np.arange(12.).reshape(3, 4); a[1:, ::-2]
/// let a = Array::arange(0., 12., 1.).into_shape(&[3, 4]).unwrap();
/// let v = a.slice(s![1.., ..;-2]);
/// assert_eq!(v, array![[7., 5.], [11., 9.]]);
/// // numpy: a[-1, 1:3]
/// assert_eq!(a.slice(s![-1, 1..3]), array![9., 10.]);
/// ```
#[macro_export]
macro_rules! s {
    (@acc [$($acc:expr),*]) => {
        $crate::SliceInfo::new(vec![$($acc),*])
    };
    (@acc [$($acc:expr),*] $r:expr ; $st:expr , $($rest:tt)*) => {
        $crate::s!(@acc [$($acc,)* $crate::SliceArg::from($r).step_by($st)] $($rest)*)
    };
    (@acc [$($acc:expr),*] $r:expr ; $st:expr) => {
        $crate::s!(@acc [$($acc,)* $crate::SliceArg::from($r).step_by($st)])
    };
    (@acc [$($acc:expr),*] $r:expr , $($rest:tt)*) => {
        $crate::s!(@acc [$($acc,)* $crate::SliceArg::from($r)] $($rest)*)
    };
    (@acc [$($acc:expr),*] $r:expr) => {
        $crate::s!(@acc [$($acc,)* $crate::SliceArg::from($r)])
    };
    ($($t:tt)*) => {
        $crate::s!(@acc [] $($t)*)
    };
}

/// `(start, len)` of `start:end:step` on an axis of length `n`, with Python's clipping.
pub(crate) fn range_bounds(
    start: Option<isize>,
    end: Option<isize>,
    step: isize,
    n: usize,
) -> (isize, usize) {
    let n = n as isize;
    if step > 0 {
        let clip = |x: isize| if x < 0 { (x + n).max(0) } else { x.min(n) };
        let s = start.map_or(0, clip);
        let e = end.map_or(n, clip);
        let len = if e > s { (e - s + step - 1) / step } else { 0 };
        (s, len as usize)
    } else {
        let clip = |x: isize| if x < 0 { (x + n).max(-1) } else { x.min(n - 1) };
        let s = start.map_or(n - 1, clip);
        let e = end.map_or(-1, clip);
        let len = if s > e { (s - e - 1) / (-step) + 1 } else { 0 };
        (s, len as usize)
    }
}

/// The layout after applying `info` to (`shape`, `strides`, `offset`).
fn slice_layout(
    shape: &[usize],
    strides: &[isize],
    offset: usize,
    info: &SliceInfo,
) -> Result<(Vec<usize>, Vec<isize>, usize), LinalgError> {
    let indexed = info
        .args
        .iter()
        .filter(|a| **a != SliceArg::NewAxis)
        .count();
    if indexed > shape.len() {
        return Err(LinalgError::invalid(
            "slice",
            format!(
                "too many indices for array: array is {}-dimensional, but {} were indexed",
                shape.len(),
                indexed
            ),
        ));
    }
    let mut out_shape = Vec::with_capacity(shape.len() + info.args.len());
    let mut out_strides = Vec::with_capacity(shape.len() + info.args.len());
    let mut off = offset as isize;
    let mut empty = false;
    let mut ax = 0usize;
    for arg in &info.args {
        match *arg {
            SliceArg::NewAxis => {
                out_shape.push(1);
                out_strides.push(0);
            }
            SliceArg::Index(i) => {
                let n = shape[ax] as isize;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(LinalgError::IndexOutOfBounds {
                        index: i,
                        axis: ax,
                        size: shape[ax],
                    });
                }
                off += j * strides[ax];
                ax += 1;
            }
            SliceArg::Range { start, end, step } => {
                if step == 0 {
                    return Err(LinalgError::invalid("slice", "slice step cannot be zero"));
                }
                let (s, len) = range_bounds(start, end, step, shape[ax]);
                if len > 0 {
                    off += s * strides[ax];
                } else {
                    empty = true;
                }
                out_shape.push(len);
                out_strides.push(strides[ax] * step);
                ax += 1;
            }
        }
    }
    for k in ax..shape.len() {
        out_shape.push(shape[k]);
        out_strides.push(strides[k]);
    }
    if empty || shape.contains(&0) {
        // Nothing is ever read through an empty array; keep an offset known to be in range.
        off = offset as isize;
    }
    Ok((out_shape, out_strides, off as usize))
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A view of the elements selected by `info` (numpy's `a[...]` with basic indexing);
    /// panics on an out-of-range single index, a zero step or too many indices.
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[::-1, 0]
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.slice(s![..;-1, 0]), array![3., 1.]);
    /// ```
    pub fn slice(&self, info: SliceInfo) -> ArrayView<'_, T> {
        self.try_slice(info).unwrap_or_else(|e| panic!("{e}"))
    }

    /// [`slice`](Self::slice) returning an error instead of panicking.
    ///
    /// ```
    /// use lapis::{array, s, LinalgError};
    /// // numpy: a[5]  -> IndexError
    /// let a = array![1., 2.];
    /// assert!(matches!(a.try_slice(s![5]), Err(LinalgError::IndexOutOfBounds { .. })));
    /// ```
    pub fn try_slice(&self, info: SliceInfo) -> Result<ArrayView<'_, T>, LinalgError> {
        let (shape, strides, offset) =
            slice_layout(&self.shape, &self.strides, self.offset, &info)?;
        Ok(ArrayBase::from_parts(
            self.data.storage(),
            shape,
            strides,
            offset,
        ))
    }

    /// [`slice`](Self::slice) that consumes the array (or view) and keeps its storage, so a
    /// sliced view keeps the original lifetime.
    ///
    /// ```
    /// use lapis::{array, s};
    /// let a = array![1., 2., 3.];
    /// let v = a.view().slice_move(s![1..]);
    /// assert_eq!(v, array![2., 3.]);
    /// ```
    pub fn slice_move(self, info: SliceInfo) -> Self {
        let (shape, strides, offset) = slice_layout(&self.shape, &self.strides, self.offset, &info)
            .unwrap_or_else(|e| panic!("{e}"));
        ArrayBase::from_parts(self.data, shape, strides, offset)
    }

    /// The view at index `i` along `axis`, which is removed (numpy's `a[:, i]` for `axis=1`,
    /// `np.take(a, i, axis)` as a view). Panics when out of range.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a[:, 1]
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.index_axis(1, 1), array![2., 4.]);
    /// ```
    pub fn index_axis(&self, axis: usize, i: usize) -> ArrayView<'_, T> {
        let mut args = vec![SliceArg::from(..); axis];
        args.push(SliceArg::Index(i as isize));
        self.slice(SliceInfo::new(args))
    }
}

impl<T: Element, S: DataMut<Elem = T>> ArrayBase<S> {
    /// A mutable view of the elements selected by `info` (numpy's `a[...] = …` target).
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[1, :] = 0.
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// a.slice_mut(s![1, ..]).fill(0.0);
    /// assert_eq!(a, array![[1., 2.], [0., 0.]]);
    /// ```
    pub fn slice_mut(&mut self, info: SliceInfo) -> ArrayViewMut<'_, T> {
        let (shape, strides, offset) = slice_layout(&self.shape, &self.strides, self.offset, &info)
            .unwrap_or_else(|e| panic!("{e}"));
        // A new axis has length 1 (its stride 0 never repeats an element): no aliasing.
        ArrayBase::from_parts(self.data.storage_mut(), shape, strides, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::range_bounds;

    #[test]
    fn python_slice_rules() {
        // list(range(10))[5::-1] -> 6 items from 5
        assert_eq!(range_bounds(Some(5), None, -1, 10), (5, 6));
        // [::-1]
        assert_eq!(range_bounds(None, None, -1, 10), (9, 10));
        // [-3:]
        assert_eq!(range_bounds(Some(-3), None, 1, 10), (7, 3));
        // [8:2:-3] -> 8, 5
        assert_eq!(range_bounds(Some(8), Some(2), -3, 10), (8, 2));
        // [20:] -> empty
        assert_eq!(range_bounds(Some(20), None, 1, 10).1, 0);
        // [:-20:-1] -> everything reversed... end clips to -1 => 10 items
        assert_eq!(range_bounds(None, Some(-20), -1, 10), (9, 10));
        // [1:8:3] -> 1, 4, 7
        assert_eq!(range_bounds(Some(1), Some(8), 3, 10), (1, 3));
        // empty axis
        assert_eq!(range_bounds(None, None, -1, 0).1, 0);
    }
}
