//! Elementwise arithmetic with numpy broadcasting: the operators `+ - * /` between arrays,
//! views and scalars (by value or by reference), the in-place `+= -= *= /=`, unary `-`,
//! and the fallible `try_add`/`try_sub`/`try_mul`/`try_div` and `zip_map`.
//!
//! Operators panic when the shapes do not broadcast, naming both shapes (as ndarray does);
//! the `try_` methods return [`LinalgError::Broadcast`] instead. The element type is kept:
//! integer `/` truncates toward zero like Rust (numpy's `/` would produce floats).
//!
//! Complex arrays ([`c32`](crate::c32), [`c64`](crate::c64)) take every operator, with a
//! complex scalar on either side; complex `/` is numpy's scaled (Smith) division, so
//! `1 / (1e300+1e300j)` is `5e-301-5e-301j`, not the `0` of the textbook formula.

use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use super::shape::{broadcast_shapes, broadcast_strides, c_strides, walk};
use super::{Array, ArrayBase, Data, DataMut};
use crate::{Complex, Element, LinalgError, Number, Signed};

/// `f(a, b)` elementwise over the broadcast shape of `a` and `b`, in C order.
pub(crate) fn zip_map_impl<A, B, U, SA, SB>(
    a: &ArrayBase<SA>,
    b: &ArrayBase<SB>,
    mut f: impl FnMut(A, B) -> U,
) -> Result<Array<U>, LinalgError>
where
    A: Element,
    B: Element,
    U: Element,
    SA: Data<Elem = A>,
    SB: Data<Elem = B>,
{
    let shape = broadcast_shapes(&a.shape, &b.shape)?;
    let strides = c_strides(&shape);
    if a.shape == shape
        && b.shape == shape
        && let (Some(x), Some(y)) = (a.as_slice(), b.as_slice())
    {
        let v = x.iter().zip(y).map(|(&x, &y)| f(x, y)).collect();
        return Ok(Array::from_parts(v, shape, strides, 0));
    }
    // broadcast_shapes succeeded, so both broadcast to `shape`.
    let sa = broadcast_strides(&a.shape, &a.strides, &shape).expect("broadcastable");
    let sb = broadcast_strides(&b.shape, &b.strides, &shape).expect("broadcastable");
    let (da, db) = (a.data.storage(), b.data.storage());
    let mut v = Vec::with_capacity(super::shape::size(&shape));
    walk(&shape, [&sa, &sb], [a.offset, b.offset], |[i, j]| {
        v.push(f(da[i], db[j]))
    });
    Ok(Array::from_parts(v, shape, strides, 0))
}

/// `self[i] = f(self[i], b[i])` with `b` broadcast to this array's shape.
pub(crate) fn zip_apply<A, B, SA, SB>(
    a: &mut ArrayBase<SA>,
    b: &ArrayBase<SB>,
    mut f: impl FnMut(A, B) -> A,
) -> Result<(), LinalgError>
where
    A: Element,
    B: Element,
    SA: DataMut<Elem = A>,
    SB: Data<Elem = B>,
{
    let Some(sb) = broadcast_strides(&b.shape, &b.strides, &a.shape) else {
        return Err(LinalgError::Broadcast {
            shapes: vec![a.shape.clone(), b.shape.clone()],
        });
    };
    let db = b.data.storage();
    if a.shape == b.shape && a.is_c_contiguous() && b.is_c_contiguous() {
        let (oa, ob, n) = (a.offset, b.offset, a.len());
        let da = &mut a.data.storage_mut()[oa..oa + n];
        for (x, &y) in da.iter_mut().zip(&db[ob..ob + n]) {
            *x = f(*x, y);
        }
        return Ok(());
    }
    let (shape, strides, offset) = (&a.shape, &a.strides, a.offset);
    let da = a.data.storage_mut();
    walk(shape, [strides, &sb], [offset, b.offset], |[i, j]| {
        da[i] = f(da[i], db[j])
    });
    Ok(())
}

impl<A: Element, S: Data<Elem = A>> ArrayBase<S> {
    /// `f(a, b)` elementwise with numpy broadcasting, into a new array (a binary ufunc).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.maximum(a, b)
    /// let a = array![[1., 5.], [3., 2.]];
    /// let b = array![2., 4.];
    /// let m = a.zip_map(&b, |x, y| f64::max(x, y)).unwrap();
    /// assert_eq!(m, array![[2., 5.], [3., 4.]]);
    /// // numpy: a > b  (a boolean mask)
    /// let mask = a.zip_map(&b, |x, y| x > y).unwrap();
    /// assert_eq!(mask, array![[false, true], [true, false]]);
    /// ```
    pub fn zip_map<B: Element, U: Element, S2: Data<Elem = B>>(
        &self,
        other: &ArrayBase<S2>,
        f: impl FnMut(A, B) -> U,
    ) -> Result<Array<U>, LinalgError> {
        zip_map_impl(self, other, f)
    }
}

/// The elementwise operations behind the operators. Division goes through
/// [`Number::div_elem`] so that complex arrays divide as numpy does (scaled, no spurious
/// overflow); for real types it is `/`.
#[inline]
fn add<T: Number>(x: T, y: T) -> T {
    x + y
}
#[inline]
fn sub<T: Number>(x: T, y: T) -> T {
    x - y
}
#[inline]
fn mul<T: Number>(x: T, y: T) -> T {
    x * y
}
#[inline]
fn div<T: Number>(x: T, y: T) -> T {
    x.div_elem(y)
}

macro_rules! binary_op {
    ($trait:ident, $method:ident, $try_method:ident, $assign_trait:ident, $assign_method:ident, $op:tt, $f:ident, $name:literal) => {
        impl<T: Number, S: Data<Elem = T>> ArrayBase<S> {
            #[doc = concat!("`self ", stringify!($op), " other` elementwise with numpy broadcasting, or an error naming both shapes (numpy's `np.", $name, "`).")]
            ///
            /// ```
            /// use lapis::array;
            #[doc = concat!("// numpy: np.", $name, "(a, b) with a of shape (2, 1) and b of shape (3,)")]
            /// let a = array![[1.], [2.]];
            /// let b = array![1., 2., 4.];
            #[doc = concat!("let c = a.", stringify!($try_method), "(&b).unwrap();")]
            /// assert_eq!(c.shape(), &[2, 3]);
            #[doc = concat!("assert!(a.", stringify!($try_method), "(&array![1., 2.]).is_ok());")]
            #[doc = concat!("assert!(b.", stringify!($try_method), "(&array![1., 2.]).is_err());")]
            /// ```
            pub fn $try_method<S2: Data<Elem = T>>(&self, other: &ArrayBase<S2>) -> Result<Array<T>, LinalgError> {
                zip_map_impl(self, other, $f)
            }
        }

        impl<T: Number, S1: Data<Elem = T>, S2: Data<Elem = T>> $trait<&ArrayBase<S2>> for &ArrayBase<S1> {
            type Output = Array<T>;
            fn $method(self, rhs: &ArrayBase<S2>) -> Array<T> {
                self.$try_method(rhs).unwrap_or_else(|e| panic!("{e}"))
            }
        }

        impl<T: Number, S2: Data<Elem = T>> $trait<&ArrayBase<S2>> for Array<T> {
            type Output = Array<T>;
            fn $method(mut self, rhs: &ArrayBase<S2>) -> Array<T> {
                if broadcast_strides(&rhs.shape, &rhs.strides, &self.shape).is_some() {
                    zip_apply(&mut self, rhs, $f).unwrap_or_else(|e| panic!("{e}"));
                    self
                } else {
                    (&self).$try_method(rhs).unwrap_or_else(|e| panic!("{e}"))
                }
            }
        }

        impl<T: Number, S2: Data<Elem = T>> $trait<ArrayBase<S2>> for Array<T> {
            type Output = Array<T>;
            fn $method(self, rhs: ArrayBase<S2>) -> Array<T> {
                self $op &rhs
            }
        }

        impl<T: Number, S1: Data<Elem = T>> $trait<Array<T>> for &ArrayBase<S1> {
            type Output = Array<T>;
            fn $method(self, rhs: Array<T>) -> Array<T> {
                self $op &rhs
            }
        }

        impl<T: Number, S: Data<Elem = T>> $trait<T> for &ArrayBase<S> {
            type Output = Array<T>;
            fn $method(self, rhs: T) -> Array<T> {
                let v = self.iter().map(|&x| $f(x, rhs)).collect();
                Array::from_parts(v, self.shape.clone(), c_strides(&self.shape), 0)
            }
        }

        impl<T: Number> $trait<T> for Array<T> {
            type Output = Array<T>;
            fn $method(mut self, rhs: T) -> Array<T> {
                self.map_inplace(|x| $f(x, rhs));
                self
            }
        }

        impl<T: Number, S: DataMut<Elem = T>, S2: Data<Elem = T>> $assign_trait<&ArrayBase<S2>> for ArrayBase<S> {
            /// In place, with `rhs` broadcast to this array's shape; panics (naming both
            /// shapes) when it does not broadcast.
            fn $assign_method(&mut self, rhs: &ArrayBase<S2>) {
                zip_apply(self, rhs, $f).unwrap_or_else(|e| panic!("{e}"));
            }
        }

        impl<T: Number, S: DataMut<Elem = T>> $assign_trait<T> for ArrayBase<S> {
            fn $assign_method(&mut self, rhs: T) {
                self.map_inplace(|x| $f(x, rhs));
            }
        }

        scalar_lhs!($trait, $method, $f, f32, f64, i32, i64, usize, Complex<f32>, Complex<f64>);
    };
}

macro_rules! scalar_lhs {
    ($trait:ident, $method:ident, $f:ident, $($t:ty),*) => {$(
        impl<S: Data<Elem = $t>> $trait<&ArrayBase<S>> for $t {
            type Output = Array<$t>;
            fn $method(self, rhs: &ArrayBase<S>) -> Array<$t> {
                let v = rhs.iter().map(|&x| $f(self, x)).collect();
                Array::from_parts(v, rhs.shape.clone(), c_strides(&rhs.shape), 0)
            }
        }
        impl $trait<Array<$t>> for $t {
            type Output = Array<$t>;
            fn $method(self, mut rhs: Array<$t>) -> Array<$t> {
                rhs.map_inplace(|x| $f(self, x));
                rhs
            }
        }
    )*};
}

binary_op!(Add, add, try_add, AddAssign, add_assign, +, add, "add");
binary_op!(Sub, sub, try_sub, SubAssign, sub_assign, -, sub, "subtract");
binary_op!(Mul, mul, try_mul, MulAssign, mul_assign, *, mul, "multiply");
binary_op!(Div, div, try_div, DivAssign, div_assign, /, div, "divide");

impl<T: Signed, S: Data<Elem = T>> Neg for &ArrayBase<S> {
    type Output = Array<T>;
    fn neg(self) -> Array<T> {
        self.mapv(|x| -x)
    }
}

impl<T: Signed> Neg for Array<T> {
    type Output = Array<T>;
    fn neg(mut self) -> Array<T> {
        self.map_inplace(|x| -x);
        self
    }
}
