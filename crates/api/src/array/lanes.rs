//! Lane-wise maps: a function applied to every 1-D lane along one axis, each lane gathered
//! into a buffer (so the function sees a plain slice whatever the strides) and its result
//! written into a new C-ordered array. Sorting, cumulative sums, statistics and `roll` are
//! built on it.

use super::shape::{c_strides, normalize_axis, size, walk};
use super::{Array, ArrayBase, Data};
use crate::{Element, LinalgError};

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// `f(lane, out)` for every lane along axis `ax` (already normalised): `out` is the
    /// lane of length `out_len` at the same position of the result, whose other axes keep
    /// this array's lengths.
    pub(super) fn map_lanes<U: Element>(
        &self,
        ax: usize,
        out_len: usize,
        mut f: impl FnMut(&[T], &mut [U]),
    ) -> Array<U> {
        let mut out_shape = self.shape.clone();
        out_shape[ax] = out_len;
        let out_strides = c_strides(&out_shape);
        let mut out = vec![U::default(); size(&out_shape)];
        let (len, stride, ostride) = (self.shape[ax], self.strides[ax], out_strides[ax]);
        let mut rest = self.shape.clone();
        let mut in_strides = self.strides.clone();
        let mut o_strides = out_strides.clone();
        rest.remove(ax);
        in_strides.remove(ax);
        o_strides.remove(ax);
        let data = self.data.storage();
        let mut lane = Vec::with_capacity(len);
        let mut olane = vec![U::default(); out_len];
        walk(
            &rest,
            [&in_strides, &o_strides],
            [self.offset, 0],
            |[i, o]| {
                lane.clear();
                lane.extend((0..len).map(|k| data[(i as isize + k as isize * stride) as usize]));
                f(&lane, &mut olane);
                for (k, &u) in olane.iter().enumerate() {
                    out[o + k * ostride as usize] = u;
                }
            },
        );
        Array::from_parts(out, out_shape, out_strides, 0)
    }

    /// [`map_lanes`](Self::map_lanes) with lanes of unchanged length along `axis`, or over
    /// the flattened (C-order) array when `axis` is `None`, as numpy's `axis=None`.
    pub(super) fn map_lanes_along<U: Element>(
        &self,
        axis: Option<isize>,
        f: impl FnMut(&[T], &mut [U]),
    ) -> Result<Array<U>, LinalgError> {
        match axis {
            None => {
                let flat = self.ravel();
                Ok(flat.map_lanes(0, flat.len(), f))
            }
            Some(axis) => {
                let ax = normalize_axis(axis, self.ndim())?;
                Ok(self.map_lanes(ax, self.shape[ax], f))
            }
        }
    }

    /// `f(lane)` for every lane along `axis` (negative counts from the end); the axis is
    /// removed, or kept with length 1 under `keepdims`.
    pub(super) fn reduce_lanes<U: Element>(
        &self,
        axis: isize,
        keepdims: bool,
        mut f: impl FnMut(&[T]) -> U,
    ) -> Result<Array<U>, LinalgError> {
        let ax = normalize_axis(axis, self.ndim())?;
        let mut r = self.map_lanes(ax, 1, |lane, out| out[0] = f(lane));
        if !keepdims {
            r.shape.remove(ax);
            r.strides = c_strides(&r.shape);
        }
        Ok(r)
    }
}
