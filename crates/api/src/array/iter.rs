//! [`Iter`]: the elements of any array in C (row-major) order.

use core::iter::FusedIterator;

/// An iterator over references to an array's elements in C order (numpy's `a.flat`).
///
/// Dense C-ordered arrays iterate their slice directly; other layouts step through the
/// strides with an index counter.
///
/// ```
/// use lapis::{array, s};
/// // numpy: list(a[:, ::-1].flat)
/// let a = array![[1., 2.], [3., 4.]];
/// let v: Vec<f64> = a.slice(s![.., ..;-1]).iter().copied().collect();
/// assert_eq!(v, vec![2., 1., 4., 3.]);
/// ```
#[derive(Clone, Debug)]
pub struct Iter<'a, T> {
    inner: Inner<'a, T>,
}

#[derive(Clone, Debug)]
enum Inner<'a, T> {
    Dense(core::slice::Iter<'a, T>),
    Strided {
        data: &'a [T],
        shape: Vec<usize>,
        strides: Vec<isize>,
        index: Vec<usize>,
        pos: isize,
        remaining: usize,
    },
}

impl<'a, T> Iter<'a, T> {
    pub(crate) fn new(data: &'a [T], shape: &[usize], strides: &[isize], offset: usize) -> Self {
        let n: usize = shape.iter().product();
        if super::shape::is_c_contiguous(shape, strides) {
            return Iter {
                inner: Inner::Dense(data[offset..offset + n].iter()),
            };
        }
        Iter {
            inner: Inner::Strided {
                data,
                shape: shape.to_vec(),
                strides: strides.to_vec(),
                index: vec![0; shape.len()],
                pos: offset as isize,
                remaining: n,
            },
        }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        match &mut self.inner {
            Inner::Dense(it) => it.next(),
            Inner::Strided {
                data,
                shape,
                strides,
                index,
                pos,
                remaining,
            } => {
                if *remaining == 0 {
                    return None;
                }
                let item = &data[*pos as usize];
                *remaining -= 1;
                if *remaining > 0 {
                    for ax in (0..shape.len()).rev() {
                        index[ax] += 1;
                        *pos += strides[ax];
                        if index[ax] < shape[ax] {
                            break;
                        }
                        *pos -= strides[ax] * shape[ax] as isize;
                        index[ax] = 0;
                    }
                }
                Some(item)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match &self.inner {
            Inner::Dense(it) => it.len(),
            Inner::Strided { remaining, .. } => *remaining,
        };
        (n, Some(n))
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
impl<T> FusedIterator for Iter<'_, T> {}
