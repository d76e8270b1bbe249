//! Integer-array and boolean indexing against numpy: every expected value below is numpy
//! 2's output for the expression in the comment above it (`a = np.arange(24.).reshape(2, 3,
//! 4)` unless said otherwise), on C-ordered, transposed and reversed inputs, empty and 0-d
//! arrays, NaN and infinities.

use lapis::{Array, LinalgError, array, s, where_};

fn a() -> Array<f64> {
    Array::arange(0., 24., 1.).into_shape(&[2, 3, 4]).unwrap()
}

fn from3(v: Vec<Vec<Vec<f64>>>) -> Array<f64> {
    let shape = [v.len(), v[0].len(), v[0][0].len()];
    Array::from_shape_vec(&shape, v.into_iter().flatten().flatten().collect()).unwrap()
}

#[test]
fn take_matches_numpy() {
    let a = a();
    // np.take(a, [2, -1, 0], axis=1)
    let t = a.take(&array![2i64, -1, 0], Some(1)).unwrap();
    let want = from3(vec![
        vec![
            vec![8., 9., 10., 11.],
            vec![8., 9., 10., 11.],
            vec![0., 1., 2., 3.],
        ],
        vec![
            vec![20., 21., 22., 23.],
            vec![20., 21., 22., 23.],
            vec![12., 13., 14., 15.],
        ],
    ]);
    assert_eq!(t, want);
    // np.take(a, [[1, -1]], axis=2): shape (2, 3, 1, 2); [1] is [[[13, 15]], [[17, 19]], [[21, 23]]]
    let t = a.take(&array![[1i32, -1]], Some(2)).unwrap();
    assert_eq!(t.shape(), &[2, 3, 1, 2]);
    assert_eq!(
        t.index_axis(0, 1).to_vec(),
        vec![13., 15., 17., 19., 21., 23.]
    );
    // np.take(a, [23, -24, 5])
    assert_eq!(
        a.take(&array![23usize, 0, 5], None).unwrap(),
        array![23., 0., 5.]
    );
    assert_eq!(a.take(&array![-24i64], None).unwrap(), array![0.]);
    // The same through a reversed, transposed view: np.take(a[:, ::-1].T, [0], axis=0)
    let v = a.slice(s![.., ..;-1, ..]);
    let vt = v.permute_axes(&[2, 1, 0]).unwrap();
    let t = vt.take(&array![0i64], Some(0)).unwrap();
    assert_eq!(t.shape(), &[1, 3, 2]);
    assert_eq!(t.to_vec(), vec![8., 20., 4., 16., 0., 12.]);
    // Out of range: numpy's IndexError, as data naming index, axis and length.
    assert_eq!(
        a.take(&array![3i64], Some(1)).unwrap_err(),
        LinalgError::IndexOutOfBounds {
            index: 3,
            axis: 1,
            size: 3
        }
    );
    assert!(matches!(
        a.take(&array![-25i64], None),
        Err(LinalgError::IndexOutOfBounds { index: -25, .. })
    ));
    assert!(matches!(
        a.take(&array![0i64], Some(3)),
        Err(LinalgError::AxisOutOfBounds { .. })
    ));
    // Empty index arrays and empty axes.
    let none = a.take(&Array::<i64>::zeros(&[0]), Some(1)).unwrap();
    assert_eq!(none.shape(), &[2, 0, 4]);
    let e = Array::<f64>::zeros(&[0, 3]);
    assert_eq!(e.take(&array![2i64], Some(1)).unwrap().shape(), &[0, 1]);
    assert!(e.take(&array![0i64], Some(0)).is_err());
}

#[test]
fn select_is_integer_array_indexing() {
    let a = a();
    // a[:, [2, 0]][..., ::-1][0]
    let s = a.select(1, &[2, 0]).unwrap();
    assert_eq!(
        s.slice(s![0, .., ..;-1]),
        array![[11., 10., 9., 8.], [3., 2., 1., 0.]]
    );
    // a[[1, 1, -2]] repeats rows
    let r = a.select(0, &[1, 1, -2]).unwrap();
    assert_eq!(r.shape(), &[3, 3, 4]);
    assert_eq!(r.index_axis(0, 2), a.index_axis(0, 0));
    assert_eq!(r.index_axis(0, 1), a.index_axis(0, 1));
    assert!(a.select(-1, &[4]).is_err());
    // 1-D and integers.
    assert_eq!(
        array![5i64, 6, 7].select(0, &[-1, 0]).unwrap(),
        array![7i64, 5]
    );
}

#[test]
fn take_along_axis_matches_numpy() {
    let a = a();
    // i = [[[3], [0], [1]], [[2], [2], [0]]]; np.take_along_axis(a, i, axis=2)
    let i = Array::from_shape_vec(&[2, 3, 1], vec![3i64, 0, 1, 2, 2, 0]).unwrap();
    let t = a.take_along_axis(&i, 2).unwrap();
    assert_eq!(t.to_vec(), vec![3., 4., 9., 14., 18., 20.]);
    assert_eq!(t.shape(), &[2, 3, 1]);
    // b = [[3, 1, 2], [0, 5, 4]]; s = np.argsort(b, axis=1) = [[1, 2, 0], [0, 2, 1]]
    let b = array![[3., 1., 2.], [0., 5., 4.]];
    let sorted = b
        .take_along_axis(&array![[1usize, 2, 0], [0, 2, 1]], 1)
        .unwrap();
    assert_eq!(sorted, array![[1., 2., 3.], [0., 4., 5.]]);
    // np.take_along_axis(b, [[1, 0, -1]], axis=0) -> [[0, 1, 4]]
    assert_eq!(
        b.take_along_axis(&array![[1i64, 0, -1]], 0).unwrap(),
        array![[0., 1., 4.]]
    );
    // argmax along an axis, then gather: the maxima (np.max(b, axis=1, keepdims=True)).
    let am = b.argmax_axis(1).unwrap().into_shape(&[2, 1]).unwrap();
    assert_eq!(b.take_along_axis(&am, 1).unwrap(), array![[3.], [5.]]);
    // A transposed input reads the right elements: take_along_axis(b.T, [[1, 0]], axis=0)
    assert_eq!(
        b.t().take_along_axis(&array![[1i64, 0]], 0).unwrap(),
        array![[1., 0.]]
    );
    // numpy: shapes (1, 2) and (2, 3) on the other axis do not broadcast -> IndexError
    assert!(matches!(
        b.take_along_axis(&array![[1i64, 0]], 0),
        Err(LinalgError::Broadcast { .. })
    ));
    assert!(matches!(
        b.take_along_axis(&array![1i64], 0),
        Err(LinalgError::Shape { .. })
    ));
    assert!(matches!(
        b.take_along_axis(&array![[3i64]], 0),
        Err(LinalgError::IndexOutOfBounds {
            index: 3,
            axis: 0,
            size: 2
        })
    ));
}

#[test]
fn boolean_masks_match_numpy() {
    let a = a();
    // a[a % 3 == 0]
    let m = a.mapv(|x| x % 3.0 == 0.0);
    assert_eq!(
        a.masked(&m).unwrap(),
        array![0., 3., 6., 9., 12., 15., 18., 21.]
    );
    // a[[True, False]] -> shape (1, 3, 4)
    let r = a.masked(&array![true, false]).unwrap();
    assert_eq!(r.shape(), &[1, 3, 4]);
    assert_eq!(r.index_axis(0, 0), a.index_axis(0, 0));
    // a[[[True, False, True], [False, False, True]]] -> rows 0, 8, 20 starts
    let r = a
        .masked(&array![[true, false, true], [false, false, true]])
        .unwrap();
    assert_eq!(
        r,
        array![[0., 1., 2., 3.], [8., 9., 10., 11.], [20., 21., 22., 23.]]
    );
    // Masks on views: a[:, ::-1][0][mask] with a transposed mask.
    let v = a.slice(s![0, ..;-1, ..]);
    let mask = array![
        [true, false, false],
        [false, true, false],
        [false, false, true],
        [true, true, true]
    ];
    let got = v.masked(&mask.t()).unwrap();
    // numpy: v = a[0, ::-1]; v[mask.T] -> [8, 11, 5, 7, 2, 3]
    assert_eq!(got, array![8., 11., 5., 7., 2., 3.]);
    // Shape errors as numpy's IndexError.
    assert!(matches!(
        a.masked(&array![true, false, true]),
        Err(LinalgError::Shape { .. })
    ));
    assert!(a.masked(&Array::<bool>::full(&[2, 3, 4, 1], true)).is_err());
    // All false, empty, 0-d.
    assert_eq!(
        a.masked(&Array::<bool>::full(&[2, 3], false))
            .unwrap()
            .shape(),
        &[0, 4]
    );
    let e = Array::<f64>::zeros(&[0, 2]);
    assert_eq!(
        e.masked(&Array::<bool>::zeros(&[0])).unwrap().shape(),
        &[0, 2]
    );
    let z = Array::from_elem_0d(3.0);
    assert_eq!(z.masked(&Array::from_elem_0d(true)).unwrap(), array![3.]);
}

#[test]
fn comparisons_nan_and_broadcasting() {
    // np.array([1., nan, 3.]) >= np.array([[1.], [3.]])
    let x = array![1., f64::NAN, 3.];
    let m = x.greater_equal(&array![[1.], [3.]]).unwrap();
    assert_eq!(m, array![[true, false, true], [false, false, true]]);
    assert_eq!(x.gt(1.0), array![false, false, true]);
    assert_eq!(x.le(1.0), array![true, false, false]);
    assert_eq!(x.not_equal(&x).unwrap(), array![false, true, false]);
    assert_eq!(x.equal(&x).unwrap(), array![true, false, true]);
    let c = array![[1., f64::NAN], [f64::INFINITY, -2.]];
    assert_eq!(c.isnan(), array![[false, true], [false, false]]);
    assert_eq!(c.isinf(), array![[false, false], [true, false]]);
    assert_eq!(c.isfinite(), array![[true, false], [false, true]]);
    // np.where(np.isnan(c), -1., c)
    let w = where_(&c.isnan(), &Array::from_elem_0d(-1.), &c).unwrap();
    assert_eq!(w, array![[1., -1.], [f64::INFINITY, -2.]]);
    // np.where([[True, False], [False, True]], 1, [[7], [8]])
    let w = where_(
        &array![[true, false], [false, true]],
        &Array::from_elem_0d(1i64),
        &array![[7i64], [8]],
    )
    .unwrap();
    assert_eq!(w, array![[1i64, 7], [8, 1]]);
    assert!(matches!(
        where_(&array![true, false], &array![1., 2., 3.], &array![0.]),
        Err(LinalgError::Broadcast { .. })
    ));
    // Masks combine.
    let both = x.gt(0.0).logical_and(&x.isnan().logical_not()).unwrap();
    assert_eq!(both, array![true, false, true]);
    assert_eq!(both.count_true(), 2);
    assert_eq!(
        x.isnan().logical_or(&x.gt(2.)).unwrap(),
        array![false, true, true]
    );
}

#[test]
fn compress_nonzero_argwhere() {
    let a = a();
    // np.compress([0, 1, 0, 1], a, axis=2)
    let c = a.compress(&[false, true, false, true], Some(2)).unwrap();
    assert_eq!(
        c.to_vec(),
        vec![1., 3., 5., 7., 9., 11., 13., 15., 17., 19., 21., 23.]
    );
    assert_eq!(c.shape(), &[2, 3, 2]);
    // A short condition is padded with False; a True past the end is an IndexError.
    assert_eq!(
        a.compress(&[false, true], Some(0)).unwrap().shape(),
        &[1, 3, 4]
    );
    assert!(a.compress(&[false, false, true], Some(0)).is_err());
    assert_eq!(
        a.compress(&[false, false, false, true], None).unwrap(),
        array![3.]
    );
    // np.nonzero(a[0] % 5 == 0) -> ([0, 1, 2], [0, 1, 2])
    let nz = a
        .index_axis(0, 0)
        .mapv(|x| x % 5.0 == 0.0)
        .nonzero()
        .unwrap();
    assert_eq!(nz, vec![array![0usize, 1, 2], array![0usize, 1, 2]]);
    // nonzero of numbers: zero is "false", NaN is not
    let nz = array![0., f64::NAN, -0.0, 2.].nonzero().unwrap();
    assert_eq!(nz, vec![array![1usize, 3]]);
    assert!(Array::from_elem_0d(1.0).nonzero().is_err());
    // np.argwhere(a[1] > 19) -> [[2, 0], [2, 1], [2, 2], [2, 3]]
    let w = a.index_axis(0, 1).gt(19.).argwhere();
    assert_eq!(w, array![[2usize, 0], [2, 1], [2, 2], [2, 3]]);
    // On a transposed view the indices are the view's: np.argwhere(a[1].T > 19)
    let w = a.index_axis(0, 1).t().gt(19.).argwhere();
    assert_eq!(w, array![[0usize, 2], [1, 2], [2, 2], [3, 2]]);
    // 0-d: np.argwhere(np.array(5)).shape == (1, 0); np.argwhere(np.array(0)).shape == (0, 0)
    assert_eq!(Array::from_elem_0d(5i64).argwhere().shape(), &[1, 0]);
    assert_eq!(Array::from_elem_0d(0i64).argwhere().shape(), &[0, 0]);
    assert_eq!(Array::<f64>::zeros(&[0, 3]).argwhere().shape(), &[0, 2]);
}

#[test]
fn masked_assignment_and_putmask() {
    // x = np.arange(6.).reshape(2, 3); np.putmask(x, x % 2 == 1, [-1., -2., -3., -4.])
    let mut x = Array::arange(0., 6., 1.).into_shape(&[2, 3]).unwrap();
    let odd = x.mapv(|v| v % 2.0 == 1.0);
    x.putmask(&odd, &[-1., -2., -3., -4.]).unwrap();
    assert_eq!(x, array![[0., -2., 2.], [-4., 4., -2.]]);
    assert!(x.putmask(&array![true], &[1.]).is_err());
    x.putmask(&Array::<bool>::full(&[2, 3], true), &[]).unwrap();
    assert_eq!(x[[0, 1]], -2.0);
    // y[[False, True]] = [9., 8., 7.]
    let mut y = Array::arange(0., 6., 1.).into_shape(&[2, 3]).unwrap();
    y.assign_masked(&array![false, true], &array![9., 8., 7.])
        .unwrap();
    assert_eq!(y, array![[0., 1., 2.], [9., 8., 7.]]);
    // z[z > 2] = [30., 40., 50.]
    let mut z = Array::arange(0., 6., 1.).into_shape(&[2, 3]).unwrap();
    let big = z.gt(2.);
    z.assign_masked(&big, &array![30., 40., 50.]).unwrap();
    assert_eq!(z, array![[0., 1., 2.], [30., 40., 50.]]);
    assert!(matches!(
        z.assign_masked(&big, &array![1., 2.]),
        Err(LinalgError::Broadcast { .. })
    ));
    // Through a reversed mutable view, and a scalar fill of NaNs.
    let mut w = array![[1., f64::NAN], [f64::NAN, 4.]];
    {
        let mut v = w.slice_mut(s![..;-1, ..]);
        let nan = v.isnan();
        v.fill_masked(&nan, 0.0).unwrap();
    }
    assert_eq!(w, array![[1., 0.], [0., 4.]]);
    let mut v = w.slice_mut(s![.., ..;-1]);
    v.fill_masked(&array![[true, false], [false, false]], 9.0)
        .unwrap();
    assert_eq!(w, array![[1., 9.], [0., 4.]]);
}
