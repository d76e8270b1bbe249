//! Sorting and reordering against numpy 2.4's results for the same inputs (the `# numpy:`
//! lines): `sort`, `argsort` (numpy's `kind='stable'`), `searchsorted`, `unique`, `flip`,
//! `roll`, on NaN, signed zeros, ties, views of every layout, empty and 0-d arrays.

use lapis::{Array, LinalgError, Side, array, s};

/// `argsort` must order the lane (NaNs last) and keep ties in their original order.
fn check_stable_argsort(x: &[f64], idx: &[usize]) {
    let mut seen = vec![false; x.len()];
    for &i in idx {
        assert!(!seen[i], "index {i} repeated");
        seen[i] = true;
    }
    for w in idx.windows(2) {
        let (a, b) = (x[w[0]], x[w[1]]);
        let ordered = a < b || (b.is_nan() && !a.is_nan()) || a == b || (a.is_nan() && b.is_nan());
        assert!(ordered, "{a} before {b}");
        if a == b || (a.is_nan() && b.is_nan()) {
            assert!(w[0] < w[1], "tie out of order");
        }
    }
}

#[test]
fn sort_and_argsort_with_nan_ties_and_zeros() {
    let x = array![3., f64::NAN, 1., -0.0, 0.0, 2., f64::NAN, 1.];
    // numpy: np.argsort(x, kind='stable')
    let i = x.argsort(Some(-1)).unwrap();
    assert_eq!(i, array![3usize, 4, 2, 7, 5, 0, 1, 6]);
    check_stable_argsort(&x.to_vec(), &i.to_vec());
    // numpy: np.sort(x) -> [-0., 0., 1., 1., 2., 3., nan, nan]
    let s = x.sort(None).unwrap();
    assert_eq!(s.slice(s![..6]), array![-0.0, 0.0, 1., 1., 2., 3.]);
    assert!(s.slice(s![6..]).iter().all(|v| v.is_nan()));
    // sorting is the gather of argsort
    assert_eq!(x.take(&i, None).unwrap().slice(s![..6]), s.slice(s![..6]));

    let m = array![[5i64, 3, 3, 1], [2, 2, 9, 0]];
    // numpy: np.argsort(m, axis=0, kind='stable'), axis=-1
    assert_eq!(
        m.argsort(Some(0)).unwrap(),
        array![[1usize, 1, 0, 1], [0, 0, 1, 0]]
    );
    assert_eq!(
        m.argsort(Some(-1)).unwrap(),
        array![[3usize, 1, 2, 0], [3, 0, 1, 2]]
    );
    // numpy: np.sort(m.T, axis=0)
    assert_eq!(
        m.t().sort(Some(0)).unwrap(),
        array![[1i64, 0], [3, 2], [3, 2], [5, 9]]
    );
    // numpy: np.sort(m, axis=None), np.argsort(m, axis=None, kind='stable')
    assert_eq!(m.sort(None).unwrap(), array![0i64, 1, 2, 2, 3, 3, 5, 9]);
    assert_eq!(
        m.argsort(None).unwrap(),
        array![7usize, 3, 4, 5, 1, 2, 0, 6]
    );
    // negative-stride view: numpy: np.argsort(m[:, ::-1], kind='stable')
    assert_eq!(
        m.slice(s![.., ..;-1]).argsort(Some(1)).unwrap(),
        array![[0usize, 1, 2, 3], [0, 2, 3, 1]]
    );
    // a long lane with many ties: stable and ordered
    let long = Array::from_shape_fn(&[200], |ix| ((ix[0] * 37) % 11) as f64);
    let li = long.argsort(Some(0)).unwrap();
    check_stable_argsort(&long.to_vec(), &li.to_vec());
}

#[test]
fn sort_edge_cases() {
    // empty along and across the sorted axis keeps the shape
    assert_eq!(
        Array::<f64>::zeros(&[0, 3]).sort(Some(0)).unwrap().shape(),
        &[0, 3]
    );
    assert_eq!(
        Array::<f64>::zeros(&[2, 0])
            .argsort(Some(1))
            .unwrap()
            .shape(),
        &[2, 0]
    );
    // 0-d: numpy: np.sort(np.array(2.), axis=None) -> [2.]; axis=-1 raises AxisError
    let z = Array::from_elem_0d(2.0);
    assert_eq!(z.sort(None).unwrap(), array![2.]);
    assert!(matches!(
        z.sort(Some(-1)),
        Err(LinalgError::AxisOutOfBounds { .. })
    ));
    assert!(array![[1., 2.]].argsort(Some(2)).is_err());
    // infinities and huge/tiny values order correctly
    let v = array![f64::INFINITY, 1e-308, -1e308, f64::NEG_INFINITY, 5e-324];
    assert_eq!(
        v.sort(None).unwrap(),
        array![f64::NEG_INFINITY, -1e308, 5e-324, 1e-308, f64::INFINITY]
    );
    // sorted output is idempotent
    let s = v.sort(None).unwrap();
    assert_eq!(s.sort(None).unwrap(), s);
    assert_eq!(s.argsort(None).unwrap(), array![0usize, 1, 2, 3, 4]);
}

#[test]
fn searchsorted_sides() {
    let a = array![1., 2., 2., 3., f64::NAN];
    let v = array![f64::NAN, 2., 2.5, -1., 3.];
    // numpy: np.searchsorted(a, v), side='right'
    assert_eq!(
        a.searchsorted(&v, Side::Left).unwrap(),
        array![4usize, 1, 3, 0, 3]
    );
    assert_eq!(
        a.searchsorted(&v, Side::Right).unwrap(),
        array![5usize, 3, 3, 0, 4]
    );
    // the result has v's shape; v may be any layout
    let v2 = array![[0., 2.], [3., 9.]];
    assert_eq!(
        a.searchsorted(&v2.t(), Side::default()).unwrap(),
        array![[0usize, 3], [1, 4]]
    );
    // a reversed view of a descending array is ascending
    let d = array![5i64, 4, 1];
    assert_eq!(
        d.slice(s![..;-1])
            .searchsorted(&array![4i64], Side::Right)
            .unwrap(),
        array![2usize]
    );
    // empty sorted array: everything goes to 0
    assert_eq!(
        Array::<f64>::zeros(&[0])
            .searchsorted(&array![1.], Side::Left)
            .unwrap(),
        array![0usize]
    );
    assert!(
        array![[1., 2.]]
            .searchsorted(&array![1.], Side::Left)
            .is_err()
    );
}

#[test]
fn unique_with_counts() {
    // numpy: np.unique([[3, 1, 2], [3, 3, 0]], return_counts=True)
    let a = array![[3i64, 1, 2], [3, 3, 0]];
    let (u, c) = a.unique_counts();
    assert_eq!(u, array![0i64, 1, 2, 3]);
    assert_eq!(c, array![1usize, 1, 1, 3]);
    assert_eq!(a.t().unique(), u);
    // numpy 2: NaNs collapse into one (equal_nan=True); -0.0 and 0.0 are one value
    let (u, c) = array![f64::NAN, 0.0, -0.0, f64::NAN, 1.].unique_counts();
    assert_eq!(u.len(), 3);
    assert!(u[[2]].is_nan());
    assert_eq!(c, array![2usize, 1, 2]);
    assert_eq!(Array::<f64>::zeros(&[0, 2]).unique().shape(), &[0]);
    assert_eq!(Array::from_elem_0d(4i64).unique(), array![4i64]);
}

#[test]
fn flip_and_roll() {
    let m = Array::arange(0i64, 6, 1).into_shape(&[2, 3]).unwrap();
    // numpy: np.flip(m, 0), np.flip(m, -1), np.flip(m)
    assert_eq!(m.flip(Some(0)).unwrap(), array![[3i64, 4, 5], [0, 1, 2]]);
    assert_eq!(m.flip(Some(-1)).unwrap(), array![[2i64, 1, 0], [5, 4, 3]]);
    assert_eq!(m.flip(None).unwrap(), array![[5i64, 4, 3], [2, 1, 0]]);
    // flipping a flipped transposed view returns the original
    let t = m.t();
    let f = t.flip(Some(0)).unwrap();
    assert_eq!(f.flip(Some(0)).unwrap(), t);
    assert!(m.flip(Some(2)).is_err());
    assert_eq!(
        Array::<f64>::zeros(&[0, 3]).flip(None).unwrap().shape(),
        &[0, 3]
    );
    assert_eq!(
        Array::from_elem_0d(1.0).flip(None).unwrap().item(),
        Some(1.0)
    );
    // numpy: np.roll(m, 4), np.roll(m, -4, axis=1)
    assert_eq!(m.roll(4, None).unwrap(), array![[2i64, 3, 4], [5, 0, 1]]);
    assert_eq!(
        m.roll(-4, Some(1)).unwrap(),
        array![[1i64, 2, 0], [4, 5, 3]]
    );
    // a shift by a multiple of the length is the identity; on a transposed view too
    assert_eq!(m.t().roll(6, Some(0)).unwrap(), m.t());
    assert_eq!(
        m.t().roll(1, Some(0)).unwrap(),
        array![[2i64, 5], [0, 3], [1, 4]]
    );
    assert_eq!(Array::<f64>::zeros(&[0]).roll(3, None).unwrap().len(), 0);
    assert_eq!(
        Array::from_elem_0d(7.0).roll(3, None).unwrap().shape(),
        &[] as &[usize]
    );
    assert!(m.roll(1, Some(-3)).is_err());
}
