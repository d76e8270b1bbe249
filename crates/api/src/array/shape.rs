//! Shape and stride arithmetic shared by every array operation: sizes, C/F strides,
//! contiguity tests, axis normalisation, and the strided walk that visits elements in
//! C (row-major) order.

use crate::LinalgError;

/// Number of elements of `shape`, or `SizeOverflow`.
pub(crate) fn checked_size(shape: &[usize]) -> Result<usize, LinalgError> {
    shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or(LinalgError::SizeOverflow)
}

/// Number of elements of `shape` (the shape is already known to be valid).
#[inline]
pub(crate) fn size(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Strides (in elements) of a dense C-order (row-major) array of `shape`.
pub(crate) fn c_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = 1isize;
    for (s, &d) in strides.iter_mut().zip(shape).rev() {
        *s = acc;
        acc *= d.max(1) as isize;
    }
    strides
}

/// Whether the layout is dense in C order (axes of length 1 may have any stride).
pub(crate) fn is_c_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expect = 1isize;
    for (&d, &s) in shape.iter().zip(strides).rev() {
        if d != 1 {
            if s != expect {
                return false;
            }
            expect *= d as isize;
        }
    }
    true
}

/// Whether the layout is dense in Fortran order (axes of length 1 may have any stride).
pub(crate) fn is_f_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expect = 1isize;
    for (&d, &s) in shape.iter().zip(strides) {
        if d != 1 {
            if s != expect {
                return false;
            }
            expect *= d as isize;
        }
    }
    true
}

/// Maps a possibly negative axis into `0..ndim`.
pub(crate) fn normalize_axis(axis: isize, ndim: usize) -> Result<usize, LinalgError> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(LinalgError::AxisOutOfBounds { axis, ndim });
    }
    Ok(if axis < 0 {
        (axis + n) as usize
    } else {
        axis as usize
    })
}

/// Calls `f` with the element offsets of `N` operands that share `shape`, visiting the
/// elements in C order. Nothing is called for an empty shape.
pub(crate) fn walk<const N: usize>(
    shape: &[usize],
    strides: [&[isize]; N],
    offsets: [usize; N],
    mut f: impl FnMut([usize; N]),
) {
    if shape.contains(&0) {
        return;
    }
    let nd = shape.len();
    if nd == 0 {
        f(offsets);
        return;
    }
    let inner = shape[nd - 1];
    let inner_stride: [isize; N] = core::array::from_fn(|k| strides[k][nd - 1]);
    let mut index = vec![0usize; nd - 1];
    let mut base: [isize; N] = offsets.map(|o| o as isize);
    loop {
        let mut o = base;
        for _ in 0..inner {
            f(o.map(|x| x as usize));
            for k in 0..N {
                o[k] += inner_stride[k];
            }
        }
        let mut ax = nd - 1;
        loop {
            if ax == 0 {
                return;
            }
            ax -= 1;
            index[ax] += 1;
            for k in 0..N {
                base[k] += strides[k][ax];
            }
            if index[ax] < shape[ax] {
                break;
            }
            for k in 0..N {
                base[k] -= strides[k][ax] * shape[ax] as isize;
            }
            index[ax] = 0;
        }
    }
}

/// The broadcast shape of two shapes under numpy's rules.
pub(crate) fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>, LinalgError> {
    let nd = a.len().max(b.len());
    let mut out = vec![0usize; nd];
    for i in 0..nd {
        let da = if i + a.len() >= nd {
            a[i + a.len() - nd]
        } else {
            1
        };
        let db = if i + b.len() >= nd {
            b[i + b.len() - nd]
        } else {
            1
        };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(LinalgError::Broadcast {
                shapes: vec![a.to_vec(), b.to_vec()],
            });
        };
    }
    Ok(out)
}

/// Strides that view an array of (`shape`, `strides`) as the larger `target` shape
/// (stride 0 on broadcast axes). `None` when `shape` does not broadcast to `target`.
pub(crate) fn broadcast_strides(
    shape: &[usize],
    strides: &[isize],
    target: &[usize],
) -> Option<Vec<isize>> {
    if shape.len() > target.len() {
        return None;
    }
    let lead = target.len() - shape.len();
    let mut out = vec![0isize; target.len()];
    for i in 0..shape.len() {
        let (d, t) = (shape[i], target[lead + i]);
        if d == t {
            out[lead + i] = if d == 1 { 0 } else { strides[i] };
        } else if d == 1 {
            out[lead + i] = 0;
        } else {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_and_contiguity() {
        assert_eq!(c_strides(&[2, 3, 4]), vec![12, 4, 1]);
        assert!(is_c_contiguous(&[2, 3], &[3, 1]));
        assert!(!is_c_contiguous(&[2, 3], &[1, 2]));
        assert!(is_f_contiguous(&[2, 3], &[1, 2]));
        assert!(is_c_contiguous(&[1, 3], &[99, 1]));
        assert_eq!(broadcast_shapes(&[3, 1], &[4]).unwrap(), vec![3, 4]);
        assert!(broadcast_shapes(&[3], &[4]).is_err());
    }

    #[test]
    fn walk_visits_c_order() {
        let mut seen = vec![];
        walk(&[2, 3], [&[1, 2]], [0], |[o]| seen.push(o));
        assert_eq!(seen, vec![0, 2, 4, 1, 3, 5]);
    }
}
