//! Conversions to and from other Rust array libraries, each behind the cargo feature of
//! the same name: `ndarray`, `nalgebra`, `faer`.
//!
//! Zero-copy means a view over the same memory, asserted in the tests by comparing element
//! addresses. Lapis's strides are in elements and may be negative or 0, and its offset names
//! the storage index of element `[0, 0, …]`; each library has its own rules, and where the
//! other side cannot express a layout the conversion says so:
//!
//! | direction | zero-copy when | otherwise |
//! |---|---|---|
//! | lapis view → `ndarray` view (n-d) | always (any strides, any sign) | — |
//! | `ndarray` view → lapis view | the view is dense in memory (any axis order, any sign) | error; `CowArray::from_ndarray` copies |
//! | lapis `Array` ↔ `ndarray::Array` | always one way; the other when the buffer starts at the array's lowest element | a C-order copy |
//! | lapis 2-D view → `nalgebra` view | both strides ≥ 0 | error; `to_nalgebra` copies |
//! | `&DMatrix` (any contiguous nalgebra matrix) → lapis view | always | — |
//! | strided `nalgebra` view → lapis | never: nalgebra lends the slice of contiguous storage only | `Array::copy_from_nalgebra` |
//! | lapis `Array` ↔ `DMatrix` | `DMatrix` → lapis always; lapis → `DMatrix` when dense in column-major order | a column-major copy |
//! | lapis 2-D view → `faer` view | one stride is ±1 (or that axis has length ≤ 1) | error; `to_faer` copies |
//! | `faer` view → lapis view | one forward-contiguous column or row: faer lends one column's slice at a time | error; `Array::from_faer` copies |
//!
//! Everything is safe code (`lapis` forbids `unsafe`): the other library checks the slice,
//! shape and strides in its own safe constructor, so a layout it rejects comes back as a
//! [`LinalgError`](crate::LinalgError), never as undefined behaviour.

#[cfg(feature = "faer")]
mod faer;
#[cfg(feature = "nalgebra")]
mod nalgebra;
#[cfg(feature = "ndarray")]
mod ndarray;

/// The storage indices `(low, high)` of the first and last element in memory of a
/// non-empty layout (`None` for an empty one): the slice `low..=high` is all the other
/// library needs to see.
#[cfg(any(feature = "ndarray", feature = "nalgebra", feature = "faer"))]
pub(crate) fn span(shape: &[usize], strides: &[isize], offset: usize) -> Option<(usize, usize)> {
    if shape.contains(&0) {
        return None;
    }
    let (mut low, mut high) = (offset as isize, offset as isize);
    for (&d, &s) in shape.iter().zip(strides) {
        let reach = s * (d as isize - 1);
        if reach < 0 {
            low += reach;
        } else {
            high += reach;
        }
    }
    Some((low as usize, high as usize))
}

/// A 2-D layout as `(nrows, ncols, row stride, column stride)`, with the stride of an axis
/// of length ≤ 1 replaced by `unit` (it is never used to reach an element, and the other
/// libraries' checks are simpler with a tame value).
#[cfg(any(feature = "nalgebra", feature = "faer"))]
pub(crate) fn matrix_layout(
    op: &'static str,
    shape: &[usize],
    strides: &[isize],
    unit: [isize; 2],
) -> Result<(usize, usize, isize, isize), crate::LinalgError> {
    if shape.len() != 2 {
        return Err(crate::LinalgError::shape(
            op,
            &[shape],
            format!("expected a 2-D array, got {} dimensions", shape.len()),
        ));
    }
    let (r, c) = (shape[0], shape[1]);
    let rs = if r <= 1 { unit[0] } else { strides[0] };
    let cs = if c <= 1 { unit[1] } else { strides[1] };
    Ok((r, c, rs, cs))
}
