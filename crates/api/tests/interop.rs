//! Conversions between lapis and ndarray, nalgebra, faer: values and element addresses
//! survive every round trip that the module docs promise is zero-copy, on C, Fortran,
//! transposed, reversed, stepped, broadcast, 0-sized and 0-d layouts; the layouts another
//! library cannot express fail (or copy) explicitly.
#![cfg(all(feature = "ndarray", feature = "nalgebra", feature = "faer"))]

use lapis::{Array, ArrayView, ArrayViewMut, CowArray, LinalgError, array, c64, s};

/// A 3×4 array holding 0..12 in C order.
fn a34() -> Array<f64> {
    Array::arange(0., 12., 1.).into_shape(&[3, 4]).unwrap()
}

/// Every index of `shape` in C order.
fn indices(shape: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for &d in shape {
        out = out
            .into_iter()
            .flat_map(|ix| {
                (0..d).map(move |i| {
                    let mut j = ix.clone();
                    j.push(i);
                    j
                })
            })
            .collect();
    }
    out
}

/// The lapis views the ndarray tests run through, each with its numpy spelling.
fn lapis_layouts(a: &Array<f64>) -> Vec<(&'static str, ArrayView<'_, f64>)> {
    vec![
        ("a", a.view()),
        ("a.T", a.t()),
        ("a[::-1]", a.slice(s![..;-1, ..])),
        ("a[::-1, ::-1]", a.slice(s![..;-1, ..;-1])),
        ("a[1:, ::-2]", a.slice(s![1.., ..;-2])),
        ("a[::2, 1::2].T", a.slice(s![..;2, 1..;2]).reversed_axes()),
        ("a[:, 2]", a.slice(s![.., 2])),
        ("a[None, :, ::-1]", a.slice(s![lapis::NewAxis, .., ..;-1])),
        ("a[1:1]", a.slice(s![1..1, ..])),
        ("a[2, 3] (0-d)", a.slice(s![2, 3])),
    ]
}

#[test]
fn ndarray_views_share_memory_for_every_layout() {
    let a = a34();
    for (name, v) in lapis_layouts(&a) {
        let n = v.as_ndarray::<ndarray::IxDyn>().unwrap();
        assert_eq!(n.shape(), v.shape(), "{name}");
        for ix in indices(v.shape()) {
            assert!(
                std::ptr::eq(&n[ix.as_slice()], &v[ix.as_slice()]),
                "{name} {ix:?}"
            );
        }
        // Back to lapis: zero-copy when ndarray calls it dense, a copy with equal values
        // otherwise.
        let back = CowArray::from_ndarray(n.clone());
        assert_eq!(back, v, "{name}");
        match ArrayView::from_ndarray(n) {
            Ok(w) => {
                assert!(back.is_view(), "{name}");
                for ix in indices(v.shape()) {
                    assert!(std::ptr::eq(&w[ix.as_slice()], &v[ix.as_slice()]), "{name}");
                }
            }
            Err(e) => {
                assert!(!back.is_view(), "{name}");
                assert!(matches!(e, LinalgError::Unsupported { .. }), "{name}: {e}");
            }
        }
    }
}

#[test]
fn ndarray_dense_views_come_back_in_place() {
    let a = a34();
    // Dense in memory whatever the axis order or signs: all must come back as views.
    for (name, v) in [
        ("a", a.view()),
        ("a.T", a.t()),
        ("a[::-1, ::-1]", a.slice(s![..;-1, ..;-1])),
        ("a.T[::-1]", a.t().slice_move(s![..;-1, ..])),
    ] {
        let n = v.as_ndarray::<ndarray::Ix2>().unwrap();
        let w = ArrayView::from_ndarray(n).unwrap();
        assert_eq!(w.strides(), v.strides(), "{name}");
        assert!(std::ptr::eq(&w[[0, 0]], &v[[0, 0]]), "{name}");
        assert!(
            std::ptr::eq(&w[[2, 1]], &v[[2, 1]]) || v.shape()[0] < 3,
            "{name}"
        );
    }
    // Broadcast (stride 0) goes to ndarray in place; ndarray's views of it are not dense.
    let row = array![1., 2., 3.];
    let b = row.broadcast_to(&[4, 3]).unwrap();
    let n = b.as_ndarray::<ndarray::Ix2>().unwrap();
    assert_eq!(n.strides(), &[0, 1]);
    assert!(std::ptr::eq(&n[[3, 2]], &row[[2]]));
}

#[test]
fn ndarray_native_views_and_3d() {
    let x = ndarray::Array::from_shape_fn((2, 3, 4), |(i, j, k)| (100 * i + 10 * j + k) as f64);
    // Permuted and reversed, still dense: in place.
    let p = x.view().permuted_axes([2, 0, 1]);
    let p = p.slice(ndarray::s![..;-1, .., ..]);
    let l = ArrayView::from_ndarray(p.view()).unwrap();
    assert_eq!(l.shape(), &[4, 2, 3]);
    for ix in indices(l.shape()) {
        assert!(std::ptr::eq(&l[ix.as_slice()], &p[[ix[0], ix[1], ix[2]]]));
    }
    // numpy: x.transpose(2, 0, 1)[::-1][3, 1, 2] == x[1, 2, 0]
    assert_eq!(l[[3, 1, 2]], 120.0);
    // A gap (every other plane) cannot be viewed; the Cow path copies with numpy's values.
    let g = x.slice(ndarray::s![.., ..;2, ..]);
    assert!(matches!(
        ArrayView::from_ndarray(g.view()),
        Err(LinalgError::Unsupported { .. })
    ));
    let c = CowArray::from_ndarray(g.view());
    assert!(!c.is_view());
    assert_eq!(c.shape(), &[2, 2, 4]);
    assert_eq!(c[[1, 1, 3]], 123.0);
    // Dimension types: a wrong fixed dimension is an error, not a panic.
    let a = a34();
    assert!(matches!(
        a.as_ndarray::<ndarray::Ix3>(),
        Err(LinalgError::Shape { .. })
    ));
    assert!(a.as_ndarray::<ndarray::Ix2>().is_ok());
}

#[test]
fn ndarray_mutable_views_write_through() {
    let mut a = a34();
    {
        let mut n = a
            .slice_mut(s![..;-1, 1..;2])
            .into_ndarray_mut::<ndarray::Ix2>()
            .unwrap();
        // numpy: a[::-1, 1::2][0, 1] = -1  ->  a[2, 3] = -1
        n[[0, 1]] = -1.0;
    }
    assert_eq!(a[[2, 3]], -1.0);
    a.as_ndarray_mut::<ndarray::IxDyn>().unwrap()[[0, 0].as_slice()] = -5.0;
    assert_eq!(a[[0, 0]], -5.0);

    let mut x = ndarray::Array2::<f64>::zeros((3, 2));
    {
        let mut l = ArrayViewMut::from_ndarray(x.view_mut().reversed_axes()).unwrap();
        l.slice_mut(s![1, ..]).fill(7.0);
    }
    assert_eq!(x, ndarray::array![[0., 7.], [0., 7.], [0., 7.]]);
    let mut x = ndarray::Array2::<f64>::zeros((4, 2));
    assert!(ArrayViewMut::from_ndarray(x.slice_mut(ndarray::s![..;2, ..])).is_err());
}

#[test]
fn ndarray_owned_arrays_move_their_buffer() {
    // lapis -> ndarray -> lapis, C order and transposed: the first element never moves.
    for t in [false, true] {
        let a = if t { a34().reversed_axes() } else { a34() };
        let expect = a.to_owned();
        let p: *const f64 = &a[[0, 0]];
        let n = a.into_ndarray::<ndarray::IxDyn>().unwrap();
        assert_eq!(n.as_ptr(), p);
        let b = Array::from_ndarray(n);
        assert!(std::ptr::eq(&b[[0, 0]], p));
        assert_eq!(b, expect);
    }
    // A reversed owned array keeps its buffer too (the lowest element is the buffer start).
    let r = a34().slice_move(s![..;-1, ..]);
    let low: *const f64 = &r[[2, 0]];
    let n = r.into_ndarray::<ndarray::Ix2>().unwrap();
    assert_eq!(
        n,
        ndarray::array![[8., 9., 10., 11.], [4., 5., 6., 7.], [0., 1., 2., 3.]]
    );
    assert!(std::ptr::eq(&n[[2, 0]], low));
    // Sliced past its start: copied into C order, same values.
    let cut = a34().slice_move(s![1.., 1..]);
    let n = cut.into_ndarray::<ndarray::Ix2>().unwrap();
    assert_eq!(n, ndarray::array![[5., 6., 7.], [9., 10., 11.]]);
    // ndarray's sliced owned array comes over without a copy, offset and all.
    let mut x = ndarray::Array::from_shape_fn((4, 3), |(i, j)| (10 * i + j) as f64);
    x.slice_collapse(ndarray::s![1..;2, ..;-1]);
    let p = x.as_ptr();
    let l: Array<f64> = x.into();
    assert!(std::ptr::eq(&l[[0, 0]], p));
    assert_eq!(l, array![[12., 11., 10.], [32., 31., 30.]]);
    // 0-sized and 0-d.
    let e = Array::<f64>::zeros(&[0, 3])
        .into_ndarray::<ndarray::Ix2>()
        .unwrap();
    assert_eq!(e.shape(), &[0, 3]);
    assert_eq!(Array::from_ndarray(e).shape(), &[0, 3]);
    let z = Array::from_elem_0d(4.0)
        .into_ndarray::<ndarray::Ix0>()
        .unwrap();
    assert_eq!(z[()], 4.0);
    assert!(
        Array::<f64>::zeros(&[2])
            .into_ndarray::<ndarray::Ix2>()
            .is_err()
    );
}

#[test]
fn ndarray_complex() {
    let z = Array::from_shape_fn(&[2, 2], |ix| c64::new(ix[0] as f64, ix[1] as f64));
    let n = z.t().into_ndarray::<ndarray::Ix2>().unwrap();
    assert_eq!(n[[1, 0]], c64::new(0., 1.));
    assert!(std::ptr::eq(&n[[1, 0]], &z[[0, 1]]));
    let back = ArrayView::from_ndarray(n).unwrap();
    assert_eq!(back, z.t());
}

#[test]
fn nalgebra_views_and_owned() {
    let a = a34();
    // Non-negative strides: in place.
    for (name, v) in [
        ("a", a.view()),
        ("a.T", a.t()),
        ("a[1:, ::2]", a.slice(s![1.., ..;2])),
        ("a[:, 1:2]", a.slice(s![.., 1..2])),
        ("a[1:1]", a.slice(s![1..1, ..])),
    ] {
        let m = v.as_nalgebra().unwrap();
        assert_eq!(m.shape(), (v.shape()[0], v.shape()[1]), "{name}");
        for ix in indices(v.shape()) {
            assert!(
                std::ptr::eq(&m[(ix[0], ix[1])], &v[ix.as_slice()]),
                "{name}"
            );
        }
        assert_eq!(v.to_nalgebra().unwrap(), m.clone_owned(), "{name}");
    }
    // Negative strides: explicit error, and the copy has numpy's values.
    let r = a.slice(s![..;-1, ..]);
    assert!(matches!(
        r.as_nalgebra(),
        Err(LinalgError::Unsupported { .. })
    ));
    let m = r.to_nalgebra().unwrap();
    assert_eq!(m[(0, 0)], 8.0);
    assert_eq!(m[(2, 3)], 3.0);
    assert!(matches!(
        Array::<f64>::zeros(&[2]).as_nalgebra(),
        Err(LinalgError::Shape { .. })
    ));

    // DMatrix -> lapis view (column-major) and back to a nalgebra view, in place.
    let d = nalgebra::DMatrix::from_fn(3, 2, |i, j| (10 * i + j) as f64);
    let v = ArrayView::from_nalgebra(&d);
    assert_eq!(v.strides(), &[1, 3]);
    let back = v.as_nalgebra().unwrap();
    assert_eq!(back, d);
    assert_eq!(back.as_ptr(), d.as_ptr());
    // Owned: DMatrix -> Array moves; the F-ordered result moves back; C order copies.
    let p = d.as_ptr();
    let o = Array::from_nalgebra(d.clone());
    let d2 = Array::from_nalgebra(d.clone()).into_nalgebra().unwrap();
    assert_eq!(d2, d);
    let o_ptr: *const f64 = &o[[0, 0]];
    assert_ne!(o_ptr, p); // a clone was moved, not `d` itself
    let m = o.into_nalgebra().unwrap();
    assert_eq!(m.as_ptr(), o_ptr);
    let c = a34().into_nalgebra().unwrap();
    assert_eq!(
        c,
        nalgebra::DMatrix::from_fn(3, 4, |i, j| (4 * i + j) as f64)
    );
    // A strided nalgebra view is copied, with its values.
    let big = nalgebra::DMatrix::from_fn(4, 4, |i, j| (10 * i + j) as f64);
    let sv = big.view_with_steps((1, 0), (2, 2), (1, 1));
    assert_eq!(
        Array::copy_from_nalgebra(&sv),
        array![[10., 12.], [30., 32.]]
    );
}

#[test]
fn nalgebra_mutable_and_complex() {
    let mut a = a34();
    a.slice_mut(s![.., 1..;2]).as_nalgebra_mut().unwrap()[(2, 1)] = -1.0;
    assert_eq!(a[[2, 3]], -1.0);
    assert!(a.slice_mut(s![.., ..;-1]).as_nalgebra_mut().is_err());
    let mut d = nalgebra::DMatrix::<f64>::zeros(2, 3);
    ArrayViewMut::from_nalgebra(&mut d)
        .slice_mut(s![1, ..])
        .fill(4.0);
    assert_eq!(d.row(1).sum(), 12.0);
    let z = Array::from_shape_fn(&[2, 2], |ix| c64::new(ix[0] as f64, ix[1] as f64));
    let m = z.as_nalgebra().unwrap();
    assert_eq!(m[(0, 1)], c64::new(0., 1.));
    assert!(std::ptr::eq(&m[(1, 1)], &z[[1, 1]]));
}

#[test]
fn faer_views_and_copies() {
    let a = a34();
    // One unit stride (either sign) on some axis: in place.
    for (name, v) in [
        ("a", a.view()),
        ("a.T", a.t()),
        ("a[::-1]", a.slice(s![..;-1, ..])),
        ("a[::-1, ::-1]", a.slice(s![..;-1, ..;-1])),
        ("a[::2]", a.slice(s![..;2, ..])),
        ("a[::-2].T", a.slice(s![..;-2, ..]).reversed_axes()),
        ("a[:, ::-1]", a.slice(s![.., ..;-1])),
        ("a[:, 1:2]", a.slice(s![.., 1..2])),
        ("a[1:2, ::2]", a.slice(s![1..2, ..;2])),
        ("a[1:1]", a.slice(s![1..1, ..])),
    ] {
        let m = v.as_faer().unwrap();
        assert_eq!(
            (m.nrows(), m.ncols()),
            (v.shape()[0], v.shape()[1]),
            "{name}"
        );
        for ix in indices(v.shape()) {
            assert!(
                std::ptr::eq(m.get(ix[0], ix[1]), &v[ix.as_slice()]),
                "{name}"
            );
        }
        assert_eq!(v.to_faer().unwrap(), m, "{name}");
    }
    // Strided on both axes: error for the view, the copy has numpy's values.
    let st = a.slice(s![..;2, ..;-2]);
    assert!(matches!(st.as_faer(), Err(LinalgError::Unsupported { .. })));
    assert_eq!(st.to_faer().unwrap(), faer::mat![[3., 1.], [11., 9.]]);

    // faer -> lapis: a contiguous column or row in place, the rest copied.
    let m = faer::Mat::from_fn(3, 2, |i, j| (10 * i + j) as f64);
    let col = ArrayView::from_faer(m.as_ref().subcols(1, 1)).unwrap();
    assert!(std::ptr::eq(&col[[2, 0]], m.get(2, 1)));
    let row = ArrayView::from_faer(m.as_ref().transpose().subrows(0, 1)).unwrap();
    assert_eq!(row, array![[0., 10., 20.]]);
    assert!(std::ptr::eq(&row[[0, 2]], m.get(2, 0)));
    assert!(ArrayView::from_faer(m.as_ref()).is_err());
    assert_eq!(
        Array::from_faer(m.as_ref()),
        array![[0., 1.], [10., 11.], [20., 21.]]
    );
    // Round trip lapis -> faer -> lapis: a row of a C array keeps its address; a column
    // of it (stride 4 down the column) is not contiguous in faer's sense.
    let r1 = a.slice(s![1..2, ..]);
    let back = ArrayView::from_faer(r1.as_faer().unwrap()).unwrap();
    assert_eq!(back, r1);
    assert!(std::ptr::eq(&back[[0, 3]], &a[[1, 3]]));
    let c2 = a.slice(s![.., 2..3]);
    assert!(ArrayView::from_faer(c2.as_faer().unwrap()).is_err());
}

#[test]
fn faer_mutable_complex_and_empty() {
    let mut a = a34();
    {
        let mut v = a.slice_mut(s![..;-1, ..]);
        *v.as_faer_mut().unwrap().get_mut(0, 3) = -1.0;
    }
    assert_eq!(a[[2, 3]], -1.0);
    assert!(a.slice_mut(s![..;2, ..;2]).as_faer_mut().is_err());
    let z = Array::from_shape_fn(&[2, 3], |ix| c64::new(ix[0] as f64, ix[1] as f64));
    let zt = z.t();
    let m = zt.as_faer().unwrap();
    assert_eq!(*m.get(2, 1), c64::new(1., 2.));
    assert!(std::ptr::eq(m.get(2, 1), &z[[1, 2]]));
    let e = Array::<f64>::zeros(&[0, 4]);
    assert_eq!(e.as_faer().unwrap().ncols(), 4);
    assert_eq!(e.to_faer().unwrap().nrows(), 0);
    assert_eq!(
        ArrayView::from_faer(faer::Mat::<f64>::zeros(0, 2).as_ref())
            .unwrap()
            .shape(),
        &[0, 2]
    );
    assert!(matches!(
        Array::<f64>::zeros(&[2, 2, 2]).as_faer(),
        Err(LinalgError::Shape { .. })
    ));
}
