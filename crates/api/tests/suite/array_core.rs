//! The array core against numpy's documented behaviour: creation, slicing (negative steps,
//! new axes, dropped axes), reshape views vs copies, broadcasting edge cases, reductions,
//! allclose, display strings.

use lapis::{Array, LinalgError, NewAxis, array, s};

fn arange(n: usize) -> Array<f64> {
    Array::arange(0., n as f64, 1.)
}

#[test]
fn creation() {
    // np.eye(3, 4, k=-1)
    let e = Array::<f64>::eye_with(3, 4, -1);
    assert_eq!(
        e,
        array![[0., 0., 0., 0.], [1., 0., 0., 0.], [0., 1., 0., 0.]]
    );
    // np.arange(1., 2., 0.3) -> 4 values: 1.0, 1.3, 1.6, 1.9 (ceil(1/0.3) = 4)
    assert_eq!(Array::arange(1., 2., 0.3).len(), 4);
    // np.arange(3, 3) is empty; np.arange(0, 5, -1) is empty
    assert_eq!(Array::arange(3i64, 3, 1).len(), 0);
    assert_eq!(Array::arange(0i64, 5, -1).len(), 0);
    // np.linspace(2., 3., 1) -> [2.]; np.linspace(0., 1., 0) -> []
    assert_eq!(Array::linspace(2., 3., 1).to_vec(), vec![2.]);
    assert_eq!(Array::<f64>::linspace(0., 1., 0).len(), 0);
    // np.diag(np.diag([1., 2.], -1), -1) -> [1., 2.]
    let d = lapis::diag(&array![1., 2.], -1).unwrap();
    assert_eq!(d.shape(), &[3, 3]);
    assert_eq!(lapis::diag(&d, -1).unwrap(), array![1., 2.]);
    assert!(lapis::diag(&Array::<f64>::zeros(&[2, 2, 2]), 0).is_err());
    // from_shape_vec size mismatch names both
    let err = Array::from_shape_vec(&[2, 2], vec![1.; 3]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot reshape array of size 3 into shape (2, 2)"
    );
    // 3-D literal
    let t = array![[[1, 2], [3, 4]], [[5, 6], [7, 8]]];
    assert_eq!(t.shape(), &[2, 2, 2]);
    assert_eq!(t[[1, 0, 1]], 6);
    // bool and int storage
    let mask = Array::<bool>::zeros(&[2]);
    assert_eq!(mask.to_vec(), vec![false, false]);
}

#[test]
// `8..2` with a negative step is numpy's `8:2:-3`, not an empty Rust range.
#[allow(clippy::reversed_empty_ranges)]
fn slicing_like_numpy() {
    let a = arange(24).into_shape(&[2, 3, 4]).unwrap();
    // a[1, ::-1, 1:3].shape == (3, 2); a[1, ::-1, 1:3][0] == [21, 22]
    let v = a.slice(s![1, ..;-1, 1..3]);
    assert_eq!(v.shape(), &[3, 2]);
    assert_eq!(v.index_axis(0, 0), array![21., 22.]);
    // a[:, np.newaxis, -1, ::2].shape == (2, 1, 2)
    let w = a.slice(s![.., NewAxis, -1, ..;2]);
    assert_eq!(w.shape(), &[2, 1, 2]);
    assert_eq!(w.to_vec(), vec![8., 10., 20., 22.]);
    // x = np.arange(10.); x[8:2:-3] == [8, 5]; x[-3:] == [7, 8, 9]; x[5::-2] == [5, 3, 1]
    let x = arange(10);
    assert_eq!(x.slice(s![8..2;-3]).to_vec(), vec![8., 5.]);
    assert_eq!(x.slice(s![-3..]).to_vec(), vec![7., 8., 9.]);
    assert_eq!(x.slice(s![5..;-2]).to_vec(), vec![5., 3., 1.]);
    // out-of-range bounds clip: x[20:] is empty, x[-20:2] == [0, 1]
    assert_eq!(x.slice(s![20..]).len(), 0);
    assert_eq!(x.slice(s![-20..2]).to_vec(), vec![0., 1.]);
    // slices of slices keep numpy's strides: x[::-1][::3] == [9, 6, 3, 0]
    let r = x.slice(s![..;-1]);
    assert_eq!(r.strides(), &[-1]);
    assert_eq!(r.slice(s![..;3]).to_vec(), vec![9., 6., 3., 0.]);
    // errors: index out of range, too many indices, zero step
    assert!(matches!(
        x.try_slice(s![10]),
        Err(LinalgError::IndexOutOfBounds {
            index: 10,
            axis: 0,
            size: 10
        })
    ));
    assert_eq!(
        x.try_slice(s![10]).unwrap_err().to_string(),
        "index 10 is out of bounds for axis 0 with size 10"
    );
    assert!(x.try_slice(s![0, 0]).is_err());
    assert!(x.try_slice(s![..;0]).is_err());
    // writing through a negative-step mutable view: y[::-2] = 0
    let mut y = arange(5);
    y.slice_mut(s![..;-2]).fill(0.);
    assert_eq!(y, array![0., 1., 0., 3., 0.]);
}

#[test]
fn reshape_views_and_copies() {
    let a = arange(12);
    let b = a.reshape(&[3, 4]).unwrap();
    assert!(b.is_view());
    // b.T.reshape(12) must copy; values in C order of the transpose
    let bt = b.t();
    let c = bt.reshape(&[12]).unwrap();
    assert!(!c.is_view());
    assert_eq!(c.to_vec()[..4], [0., 4., 8., 1.]);
    // a column slice with a stride reshapes as a view: a[::2].reshape(2, 3)
    let d = a.slice(s![..;2]);
    let e = d.reshape(&[2, 3]).unwrap();
    assert!(e.is_view());
    assert_eq!(e.strides(), &[6, 2]);
    assert_eq!(e, array![[0., 2., 4.], [6., 8., 10.]]);
    // -1 inference and errors
    assert_eq!(a.reshape(&[-1, 6]).unwrap().shape(), &[2, 6]);
    assert!(a.reshape(&[5, -1]).is_err());
    assert!(a.reshape(&[-1, -1]).is_err());
    // 0-sized arrays: np.zeros((0, 3)).reshape(3, 0)
    let z = Array::<f64>::zeros(&[0, 3]);
    assert_eq!(z.reshape(&[3, 0]).unwrap().shape(), &[3, 0]);
    // ravel / flatten
    assert!(b.ravel().is_view());
    assert!(!b.t().ravel().is_view());
    assert_eq!(b.t().flatten().len(), 12);
    // squeeze / expand_dims / swap_axes / permute
    let f = Array::<f64>::zeros(&[1, 2, 1, 3]);
    assert_eq!(f.squeeze().shape(), &[2, 3]);
    assert_eq!(f.expand_dims(2).unwrap().shape(), &[1, 2, 1, 1, 3]);
    assert!(f.expand_dims(5).is_err());
    assert_eq!(f.swap_axes(1, -1).unwrap().shape(), &[1, 3, 1, 2]);
    assert_eq!(
        f.permute_axes(&[3, 1, 0, 2]).unwrap().shape(),
        &[3, 2, 1, 1]
    );
    assert!(matches!(
        f.swap_axes(4, 0),
        Err(LinalgError::AxisOutOfBounds { axis: 4, ndim: 4 })
    ));
    // contiguity flags
    assert!(b.is_c_contiguous() && !b.is_f_contiguous());
    assert!(b.t().is_f_contiguous());
}

#[test]
fn broadcasting_rules() {
    // (3, 1) + (4,) -> (3, 4)
    let a = array![[0.], [10.], [20.]];
    let b = array![1., 2., 3., 4.];
    let c = &a + &b;
    assert_eq!(c.shape(), &[3, 4]);
    assert_eq!(c[[2, 3]], 24.0);
    // (0,) + (1,) -> (0,); (0, 3) + (3,) -> (0, 3); (0,) + (2,) fails
    let e = Array::<f64>::zeros(&[0]);
    assert_eq!((&e + &array![1.]).shape(), &[0]);
    assert_eq!(
        (&Array::<f64>::zeros(&[0, 3]) + &array![1., 2., 3.]).shape(),
        &[0, 3]
    );
    assert!(e.try_add(&array![1., 2.]).is_err());
    // rank promotion with scalars and 0-d arrays
    let s0 = Array::from_elem_0d(2.0);
    assert_eq!((&b * &s0).to_vec(), vec![2., 4., 6., 8.]);
    assert_eq!((&s0 * &s0).shape(), &[] as &[usize]);
    // (2, 1, 3) * (4, 1) -> (2, 4, 3)
    let x = Array::<f64>::ones(&[2, 1, 3]);
    let y = Array::<f64>::ones(&[4, 1]);
    assert_eq!((&x * &y).shape(), &[2, 4, 3]);
    // mismatch: the error names both shapes like numpy
    let err = array![1., 2., 3.].try_add(&array![1., 2.]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operands could not be broadcast together with shapes (3,) (2,)"
    );
    // scalars on either side, by value and by reference; views of negative strides
    let v = array![1., 2., 3.];
    assert_eq!(2.0 - &v.slice(s![..;-1]), array![-1., 0., 1.]);
    assert_eq!(v.clone() / 2.0, array![0.5, 1., 1.5]);
    assert_eq!(-&v, array![-1., -2., -3.]);
    // in place with broadcasting: m += row
    let mut m = Array::<f64>::zeros(&[2, 3]);
    m += &v;
    m *= 2.0;
    assert_eq!(m, array![[2., 4., 6.], [2., 4., 6.]]);
    // broadcast_to views have stride 0 and read-only semantics
    let bt = v.broadcast_to(&[2, 3]).unwrap();
    assert_eq!(bt.strides(), &[0, 1]);
    assert!(v.broadcast_to(&[3, 2]).is_err());
}

#[test]
#[should_panic(expected = "with shapes (2,3) (3,2)")]
fn operator_panics_with_shapes() {
    let _ = &Array::<f64>::zeros(&[2, 3]) + &Array::<f64>::zeros(&[3, 2]);
}

#[test]
fn joins_and_splits() {
    let a = array![[1., 2.], [3., 4.]];
    let b = array![[5., 6.]];
    assert_eq!(
        lapis::concatenate(&[a.view(), b.view()], -2).unwrap(),
        array![[1., 2.], [3., 4.], [5., 6.]]
    );
    let err = lapis::concatenate(&[a.view(), b.view()], 1).unwrap_err();
    assert!(err.to_string().contains("along dimension 0"));
    assert_eq!(
        lapis::stack(&[a.view(), a.view()], 0).unwrap().shape(),
        &[2, 2, 2]
    );
    assert_eq!(
        lapis::stack(&[a.view(), a.view()], -1).unwrap().shape(),
        &[2, 2, 2]
    );
    assert!(lapis::stack(&[a.view(), b.view()], 0).is_err());
    assert_eq!(
        lapis::hstack(&[a.view(), a.view()]).unwrap().shape(),
        &[2, 4]
    );
    assert_eq!(
        lapis::vstack(&[array![1., 2.].view(), a.view()])
            .unwrap()
            .shape(),
        &[3, 2]
    );
    let six = arange(6).into_shape(&[2, 3]).unwrap();
    let parts = lapis::split(&six, 3, 1).unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2], array![[2.], [5.]]);
    let five = arange(5);
    let p = lapis::split_indices(&five, &[2, 10], 0).unwrap();
    assert_eq!(p.iter().map(|v| v.len()).collect::<Vec<_>>(), vec![2, 3, 0]);
}

#[test]
fn reductions() {
    let a = arange(6).into_shape(&[2, 3]).unwrap();
    assert_eq!(a.sum(), 15.0);
    assert_eq!(a.sum_axis(0, false).unwrap(), array![3., 5., 7.]);
    assert_eq!(a.sum_axis(1, true).unwrap(), array![[3.], [12.]]);
    assert_eq!(a.mean_axis(-1, false).unwrap(), array![1., 4.]);
    assert_eq!(a.prod_axis(0, false).unwrap(), array![0., 4., 10.]);
    assert_eq!(a.t().max_axis(1, false).unwrap(), array![3., 4., 5.]);
    assert_eq!(a.argmax(), Some(5));
    assert_eq!(a.argmin_axis(1).unwrap(), array![0usize, 0]);
    assert!(a.sum_axis(2, false).is_err());
    // empty: sum 0, prod 1, max None; np.zeros((0, 3)).sum(axis=0) == [0, 0, 0]
    let z = Array::<f64>::zeros(&[0, 3]);
    assert_eq!(z.sum(), 0.0);
    assert_eq!(z.prod(), 1.0);
    assert_eq!(z.max(), None);
    assert_eq!(z.sum_axis(0, false).unwrap(), array![0., 0., 0.]);
    assert!(z.max_axis(0, false).is_err());
    assert_eq!(z.max_axis(1, false).unwrap().shape(), &[0]);
    assert!(z.mean().is_nan());
    // NaN propagates in max and is found first by argmax
    let n = array![1., f64::NAN, 3.];
    assert!(n.max().unwrap().is_nan());
    assert_eq!(n.argmax(), Some(1));
}

#[test]
fn elementwise_functions() {
    let a = array![1., 4., 9.];
    assert_eq!(a.sqrt(), array![1., 2., 3.]);
    assert_eq!(array![-1.5, 2.].abs(), array![1.5, 2.]);
    assert_eq!(a.powi(2), array![1., 16., 81.]);
    assert!(lapis::allclose(&array![0.].exp(), &array![1.]).unwrap());
    assert!(lapis::allclose(&array![1.].ln(), &array![0.]).unwrap());
    assert_eq!(array![1.9, -1.9].astype::<i64>(), array![1i64, -1]);
    assert_eq!(array![0, 2].astype::<bool>(), array![false, true]);
    assert_eq!(array![1i32, 2].astype::<f32>(), array![1f32, 2.]);
    let mut m = array![1., 2.];
    m.map_inplace(|x| x * x);
    assert_eq!(m, array![1., 4.]);
}

#[test]
fn allclose_semantics() {
    // numpy docs: np.allclose([1e10, 1e-7], [1.00001e10, 1e-8]) -> False
    assert!(!lapis::allclose(&array![1e10, 1e-7], &array![1.00001e10, 1e-8]).unwrap());
    // np.allclose([1e10, 1e-8], [1.00001e10, 1e-9]) -> True
    assert!(lapis::allclose(&array![1e10, 1e-8], &array![1.00001e10, 1e-9]).unwrap());
    // np.allclose([1e10, 1e-8], [1.0001e10, 1e-9]) -> False
    assert!(!lapis::allclose(&array![1e10, 1e-8], &array![1.0001e10, 1e-9]).unwrap());
    // np.allclose([1.0, np.nan], [1.0, np.nan]) -> False; with equal_nan -> True
    let n = array![1.0, f64::NAN];
    assert!(!lapis::allclose(&n, &n).unwrap());
    assert!(lapis::allclose_with(&n, &n, 1e-5, 1e-8, true).unwrap());
    // infinities: equal infs are close, opposite are not
    let inf = array![f64::INFINITY];
    assert!(lapis::allclose(&inf, &inf).unwrap());
    assert!(!lapis::allclose(&inf, &(-&inf)).unwrap());
    // asymmetric: |a-b| <= atol + rtol*|b|
    assert!(lapis::isclose_with(&array![1.0], &array![1.1], 0.0917, 0.0, false).unwrap()[[0]]);
    assert!(!lapis::isclose_with(&array![1.1], &array![1.0], 0.0917, 0.0, false).unwrap()[[0]]);
    // broadcasting and mismatch
    assert_eq!(
        lapis::isclose(&array![[1.], [2.]], &array![1., 2.])
            .unwrap()
            .shape(),
        &[2, 2]
    );
    assert!(lapis::allclose(&array![1., 2.], &array![1., 2., 3.]).is_err());
}

#[test]
fn display_like_numpy() {
    assert_eq!(
        array![[1., 2.], [3., 4.]].to_string(),
        "array([[1., 2.],\n       [3., 4.]])"
    );
    assert_eq!(
        array![1.5, 2.25, -3.].to_string(),
        "array([ 1.5 ,  2.25, -3.  ])"
    );
    assert_eq!(array![0.1, 1e10].to_string(), "array([1.e-01, 1.e+10])");
    assert_eq!(array![1.5e-5, 1.0].to_string(), "array([1.5e-05, 1.0e+00])");
    assert_eq!(
        array![1., f64::NAN, f64::NEG_INFINITY].to_string(),
        "array([  1.,  nan, -inf])"
    );
    assert_eq!(array![1i64, 20, -3].to_string(), "array([ 1, 20, -3])");
    assert_eq!(array![true, false].to_string(), "array([ True, False])");
    assert_eq!(
        array![1f32, 2.].to_string(),
        "array([1., 2.], dtype=float32)"
    );
    assert_eq!(Array::from_elem_0d(5.0).to_string(), "array(5.)");
    assert_eq!(
        Array::<f64>::zeros(&[0]).to_string(),
        "array([], dtype=float64)"
    );
    assert_eq!(
        Array::<f64>::zeros(&[0, 3]).to_string(),
        "array([], shape=(0, 3), dtype=float64)"
    );
    assert_eq!(
        array![[[0i64, 1], [2, 3]], [[4, 5], [6, 7]]].to_string(),
        "array([[[0, 1],\n        [2, 3]],\n\n       [[4, 5],\n        [6, 7]]])"
    );
    // np.arange(30.) wraps at 75 columns with 13 items per line
    assert_eq!(
        arange(30).to_string(),
        "array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12.,\n       13., 14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25.,\n       26., 27., 28., 29.])"
    );
    // summarised above 1000 elements
    assert_eq!(
        arange(2000).to_string(),
        "array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n       1.999e+03])"
    );
    // str(): np.array([[1., 2.], [3., 4.]]).__str__()
    assert_eq!(
        format!("{:#}", array![[1., 2.], [3., 4.]]),
        "[[1. 2.]\n [3. 4.]]"
    );
    // 1/3 with 8 digits
    assert_eq!(array![1.0 / 3.0].to_string(), "array([0.33333333])");
    assert_eq!(format!("{:?}", array![1., 2.]), "array([1., 2.])");
}

#[test]
fn as_mat_is_zero_copy() {
    let a = arange(12).into_shape(&[3, 4]).unwrap();
    let v = a.slice(s![..;-1, 1..;2]);
    let m = v.as_mat().unwrap();
    assert_eq!(m.shape(), (3, 2));
    assert_eq!((m.row_stride(), m.col_stride()), (-4, 2));
    assert_eq!(m.get(0, 0), 9.0);
    assert!(arange(3).as_mat().is_err());
    let mut b = Array::<f64>::zeros(&[2, 2]);
    b.as_mat_mut().unwrap().write(1, 0, 3.0);
    assert_eq!(b[[1, 0]], 3.0);
}

#[test]
fn indexing_and_assign() {
    let mut a = Array::<f64>::zeros(&[2, 3]);
    a[[1, 2]] = 5.0;
    assert_eq!(a.get(&[1, 2]), Some(&5.0));
    assert_eq!(a.get(&[2, 0]), None);
    a.slice_mut(s![.., 0]).assign(&array![7., 8.]).unwrap();
    assert_eq!(a.index_axis(1, 0), array![7., 8.]);
    assert!(a.slice_mut(s![.., 0]).assign(&array![1., 2., 3.]).is_err());
    let owned = a.slice(s![.., 1..]).to_owned();
    assert!(owned.is_c_contiguous());
    assert_eq!(owned.shape(), &[2, 2]);
}
