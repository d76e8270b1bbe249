//! Statistics, cumulative and truth reductions, and the creation helpers, against values
//! numpy 2.4 printed for the same inputs (the `# numpy:` lines). Floating results that
//! numpy sums pairwise are compared with a bound of a few `n·ε` relative to the value;
//! quantiles use numpy's exact interpolation formula and must agree bit for bit.

use lapis::{Array, Indexing, LinalgError, array, c64, diagflat, meshgrid, s};

/// `|got − want| ≤ 4·n·ε·|want|` for a reduction over `n` terms (the two-pass variance and
/// a running sum have relative error O(n·ε) on these well-conditioned data).
fn close(got: f64, want: f64, n: usize) {
    let tol = 4.0 * n as f64 * f64::EPSILON * want.abs();
    assert!(
        (got - want).abs() <= tol,
        "got {got:e}, numpy {want:e} (tolerance {tol:e})"
    );
}

fn close_all(got: &Array<f64>, want: &[f64], n: usize) {
    assert_eq!(got.len(), want.len());
    for (&g, &w) in got.iter().zip(want) {
        close(g, w, n);
    }
}

/// Three rows of different scale; the last has a large mean and a small spread, where the
/// one-pass `E[x²] − E[x]²` formula would lose every digit.
fn sample() -> Array<f64> {
    array![
        [1.5, -2.25, 3.0, 7.125],
        [0.1, 0.2, 0.3, 0.4],
        [1e8 + 1., 1e8 + 2., 1e8 + 3., 1e8 + 4.]
    ]
}

#[test]
fn var_std_whole_and_axes() {
    let a = sample();
    // numpy: a.var(), a.var(ddof=1), a.std()
    close(a.var(0), 2222222275694449.2, 12);
    close(a.var(1), 2424242482575763.0, 12);
    close(a.std(0), 47140452.64626178, 12);
    // numpy: a.var(axis=0)
    close_all(
        &a.var_axis(0, 0, false).unwrap(),
        &[
            2222222231111111.2,
            2222222356666670.0,
            2222222282222223.8,
            2222222232777785.2,
        ],
        3,
    );
    // numpy: a.var(axis=-1, ddof=1): the 1e8 row keeps its exact 5/3
    let v = a.var_axis(-1, 1, false).unwrap();
    close_all(
        &v,
        &[15.03515625, 0.016666666666666666, 1.6666666666666667],
        4,
    );
    // numpy: a.std(axis=1)
    close_all(
        &a.std_axis(1, 0, false).unwrap(),
        &[3.3580302541073093, 0.11180339887498948, 1.118033988749895],
        4,
    );
    // keepdims keeps the reduced axis with length 1
    assert_eq!(a.var_axis(1, 0, true).unwrap().shape(), &[3, 1]);
    assert_eq!(a.std_axis(-2, 0, true).unwrap().shape(), &[1, 4]);
    // transposed view: numpy: a.T.var(axis=0)
    close_all(
        &a.t().var_axis(0, 0, false).unwrap(),
        &[11.2763671875, 0.0125, 1.25],
        4,
    );
    // negative-stride view: reversing the lanes does not change the variance
    let r = a.slice(s![.., ..;-1]);
    close_all(
        &r.var_axis(1, 1, false).unwrap(),
        &[15.03515625, 0.016666666666666666, 1.6666666666666667],
        4,
    );
}

#[test]
fn var_edge_cases() {
    // numpy: np.var([1j+1, -3+0.5j, 2-1j]), np.std(…, ddof=1): real results
    let z = Array::from_vec(vec![
        c64::new(1., 2.),
        c64::new(-3., 0.5),
        c64::new(2., -1.),
    ]);
    let v: f64 = z.var(0);
    close(v, 6.166666666666667, 3);
    close(z.std(1), 3.0413812651491097, 3);
    // numpy: np.var([1., 2.], ddof=2) -> inf, np.var([3.], ddof=1) -> nan, ddof=5 -> inf
    assert_eq!(array![1., 2.].var(2), f64::INFINITY);
    assert!(array![3.0f64].var(1).is_nan());
    assert_eq!(array![1., 2.].var(5), f64::INFINITY);
    // numpy: np.var([]) -> nan; along an empty axis -> nan per lane
    assert!(Array::<f64>::zeros(&[0]).var(0).is_nan());
    let e = Array::<f64>::zeros(&[2, 0]).var_axis(1, 0, false).unwrap();
    assert_eq!(e.shape(), &[2]);
    assert!(e.iter().all(|x| x.is_nan()));
    assert_eq!(
        Array::<f64>::zeros(&[0, 3])
            .var_axis(0, 0, false)
            .unwrap()
            .len(),
        3
    );
    // numpy: np.var([1e200, -1e200]) -> inf (the square overflows), np.var([1e-200, 3e-200]) -> 0.0
    assert_eq!(array![1e200, -1e200].var(0), f64::INFINITY);
    assert_eq!(array![1e-200, 3e-200].var(0), 0.0);
    // NaN propagates; 0-d and 1×1 have variance 0
    assert!(array![1., f64::NAN].var(0).is_nan());
    assert_eq!(Array::from_elem_0d(5.0).var(0), 0.0);
    assert_eq!(array![[7.]].std_axis(0, 0, false).unwrap(), array![0.]);
    // f32 stays f32
    let f: f32 = array![1f32, 2., 3., 4.].var(0);
    assert_eq!(f, 1.25);
    // a constant lane has exactly zero variance however large its mean
    assert_eq!(Array::full(&[5], 1e15 + 1.0).var(0), 0.0);
    // bad axis
    assert!(matches!(
        sample().var_axis(2, 0, false),
        Err(LinalgError::AxisOutOfBounds { axis: 2, ndim: 2 })
    ));
    assert!(Array::from_elem_0d(1.0).var_axis(0, 0, false).is_err());
}

#[test]
fn cumsum_cumprod() {
    let m = Array::arange(0i64, 6, 1).into_shape(&[2, 3]).unwrap();
    let r = m.slice(s![.., ..;-1]);
    // numpy: np.cumsum(m[:, ::-1]), np.cumsum(m[:, ::-1], axis=0)
    assert_eq!(r.cumsum(None).unwrap(), array![2i64, 3, 3, 8, 12, 15]);
    assert_eq!(r.cumsum(Some(0)).unwrap(), array![[2i64, 1, 0], [7, 5, 3]]);
    assert_eq!(r.cumsum(Some(-2)).unwrap(), r.cumsum(Some(0)).unwrap());
    // numpy: np.cumprod(np.array([[1., 2.], [3., 4.], [5., 6.]]).T, axis=-1)
    let t = array![[1., 2.], [3., 4.], [5., 6.]];
    assert_eq!(
        t.t().cumprod(Some(-1)).unwrap(),
        array![[1., 3., 15.], [2., 8., 48.]]
    );
    // numpy: np.cumsum([1., nan, 2.]) -> [1., nan, nan]
    let c = array![1., f64::NAN, 2.].cumsum(None).unwrap();
    assert_eq!(c[[0]], 1.0);
    assert!(c[[1]].is_nan() && c[[2]].is_nan());
    // 0-d with axis None gives a 1-element 1-D array (numpy: np.cumsum(np.array(3.)))
    assert_eq!(Array::from_elem_0d(3.0).cumsum(None).unwrap(), array![3.]);
    assert!(matches!(
        Array::from_elem_0d(3.0).cumsum(Some(0)),
        Err(LinalgError::AxisOutOfBounds { .. })
    ));
    // empty: numpy: np.cumsum([]).shape == (0,), np.cumprod(np.zeros((0, 3)), axis=1).shape
    assert_eq!(
        Array::<f64>::zeros(&[0]).cumsum(None).unwrap().shape(),
        &[0]
    );
    assert_eq!(
        Array::<f64>::zeros(&[0, 3])
            .cumprod(Some(1))
            .unwrap()
            .shape(),
        &[0, 3]
    );
    // complex
    let z = Array::from_vec(vec![c64::new(0., 1.), c64::new(0., 1.)]);
    assert_eq!(
        z.cumprod(None).unwrap(),
        Array::from_vec(vec![c64::new(0., 1.), c64::new(-1., 0.)])
    );
    // cumsum of a sequence agrees with the partial sums of the reduction
    let a = Array::linspace(-3.0, 7.0, 11);
    assert_eq!(a.cumsum(None).unwrap()[[10]], a.sum());
}

#[test]
fn any_all_count_nonzero() {
    let m = array![[true, false, true], [false, false, true]];
    // numpy: m.any(axis=0), m.all(axis=1), m.all(axis=-1, keepdims=True)
    assert_eq!(m.any_axis(0, false).unwrap(), array![true, false, true]);
    assert_eq!(m.all_axis(1, false).unwrap(), array![false, false]);
    assert_eq!(m.all_axis(-1, true).unwrap(), array![[false], [false]]);
    assert!(m.any() && !m.all());
    // transposed: numpy: m.T.all(axis=1) == m.all(axis=0)
    assert_eq!(
        m.t().all_axis(1, false).unwrap(),
        array![false, false, true]
    );
    // numbers: nonzero is true; NaN is true, -0.0 is false (numpy's bool())
    assert!(array![f64::NAN].all());
    assert!(!array![-0.0, 0.0].any());
    assert!(!Array::from_vec(vec![c64::new(0., 0.)]).any());
    assert!(Array::from_vec(vec![c64::new(0., 1e-300)]).all());
    assert!(array![1i64, -2].all());
    // empty: numpy: np.any(np.zeros((2, 0)), axis=1) -> [False, False], np.all -> [True, True]
    let e = Array::<f64>::zeros(&[2, 0]);
    assert_eq!(e.any_axis(1, false).unwrap(), array![false, false]);
    assert_eq!(e.all_axis(1, false).unwrap(), array![true, true]);
    assert!(!e.any() && e.all());
    // numpy: np.any(np.zeros((0, 3)), axis=0, keepdims=True).shape
    assert_eq!(
        Array::<f64>::zeros(&[0, 3])
            .any_axis(0, true)
            .unwrap()
            .shape(),
        &[1, 3]
    );
    // 0-d
    assert!(Array::from_elem_0d(2.0).all());
    // numpy: np.count_nonzero([[0, 1, 7], [0, 0, -2]], axis=0, keepdims=True)
    let c = array![[0i64, 1, 7], [0, 0, -2]];
    assert_eq!(
        c.count_nonzero_axis(0, true).unwrap(),
        array![[0usize, 1, 2]]
    );
    assert_eq!(c.count_nonzero(), 3);
    assert_eq!(m.count_nonzero(), m.count_true());
    assert!(matches!(
        c.any_axis(-3, false),
        Err(LinalgError::AxisOutOfBounds { axis: -3, ndim: 2 })
    ));
}

#[test]
fn median_quantile_percentile() {
    // numpy: np.median([[3., 1., 4.], [1., 5., 9.]], axis=0), np.median(same)
    let m = array![[3., 1., 4.], [1., 5., 9.]];
    assert_eq!(m.median_axis(0, false).unwrap(), array![2., 3., 6.5]);
    assert_eq!(m.median(), 3.5);
    assert_eq!(
        m.t().median_axis(1, true).unwrap(),
        array![[2.], [3.], [6.5]]
    );
    let b = array![0.3, 7.1, -2.5, 4.4, 9.9, 1.05, 3.3];
    // numpy: np.quantile(b, q) for each q
    let want = [
        (0.0, -2.5),
        (0.1, -0.8199999999999996),
        (0.33, 1.0350000000000001),
        (0.5, 3.3),
        (0.7, 4.939999999999999),
        (0.95, 9.059999999999999),
        (1.0, 9.9),
    ];
    for (q, w) in want {
        assert_eq!(b.quantile(q).unwrap(), w, "q = {q}");
    }
    // numpy: np.percentile(b, p)
    for (p, w) in [
        (12.5, -0.39999999999999997),
        (37.0, 1.5449999999999995),
        (99.0, 9.732),
    ] {
        assert_eq!(b.percentile(p).unwrap(), w, "p = {p}");
    }
    // a reversed view holds the same multiset
    assert_eq!(b.slice(s![..;-1]).quantile(0.7).unwrap(), 4.939999999999999);
    // numpy: np.quantile(c, 0.3, axis=0), np.quantile(c, 0.3, axis=1, keepdims=True)
    let c = array![[0.3, 7.1, -2.5], [4.4, 9.9, 1.05]];
    assert_eq!(
        c.quantile_axis(0.3, 0, false).unwrap(),
        array![1.5300000000000002, 7.9399999999999995, -1.435]
    );
    assert_eq!(
        c.quantile_axis(0.3, 1, true).unwrap(),
        array![[-0.8199999999999998], [3.06]]
    );
    assert_eq!(
        c.percentile_axis(30.0, -1, false).unwrap(),
        array![-0.8199999999999998, 3.06]
    );
    // NaN anywhere in a lane gives NaN (numpy: np.median([1., nan, 3.]))
    assert!(array![1., f64::NAN, 3.].median().is_nan());
    let n = array![[1., f64::NAN], [2., 4.]]
        .quantile_axis(0.5, 1, false)
        .unwrap();
    assert!(n[[0]].is_nan());
    assert_eq!(n[[1]], 3.0);
    // empty: numpy: np.median([]) -> nan; np.quantile([], .5) raises
    assert!(Array::<f64>::zeros(&[0]).median().is_nan());
    assert!(Array::<f64>::zeros(&[0]).quantile(0.5).is_err());
    assert!(
        Array::<f64>::zeros(&[2, 0])
            .quantile_axis(0.5, 1, false)
            .is_err()
    );
    // q outside [0, 1] or NaN, p outside [0, 100]
    assert!(b.quantile(-0.1).is_err());
    assert!(b.quantile(f64::NAN).is_err());
    assert!(b.percentile(100.5).is_err());
    // 1 element and 0-d
    assert_eq!(array![4.].quantile(0.3).unwrap(), 4.0);
    assert_eq!(Array::from_elem_0d(4.0).median(), 4.0);
    // infinities: numpy: np.quantile([-inf, 1., inf], 0.5) -> nan (its lerp computes
    // 1 + inf·0), q=0.25 -> -inf
    let inf = array![f64::NEG_INFINITY, 1., f64::INFINITY];
    assert!(inf.quantile(0.5).unwrap().is_nan());
    assert_eq!(inf.quantile(0.25).unwrap(), f64::NEG_INFINITY);
}

#[test]
fn ptp_and_nan_reductions() {
    let c = array![[0.3, 7.1, -2.5], [4.4, 9.9, 1.05]];
    // numpy: np.ptp(c, axis=1)
    close_all(&c.ptp_axis(1, false).unwrap(), &[9.6, 8.85], 2);
    assert_eq!(c.ptp_axis(0, true).unwrap().shape(), &[1, 3]);
    assert_eq!(array![[4i64, 9], [2, 3]].ptp(), Some(7));
    assert_eq!(Array::<f64>::zeros(&[0]).ptp(), None);
    assert!(Array::<f64>::zeros(&[2, 0]).ptp_axis(1, false).is_err());
    assert!(array![1., f64::NAN].ptp().unwrap().is_nan());
    // numpy: np.nanmean([[1., nan, 4.], [nan, nan, 2.5]], axis=1) -> [2.5, 2.5]
    let n = array![[1., f64::NAN, 4.], [f64::NAN, f64::NAN, 2.5]];
    assert_eq!(n.nanmean_axis(1, false).unwrap(), array![2.5, 2.5]);
    assert_eq!(n.nansum(), 7.5);
    assert_eq!(n.nansum_axis(0, false).unwrap(), array![1., 0., 6.5]);
    assert_eq!(n.nanmax(), Some(4.0));
    assert_eq!(n.nanmin(), Some(1.0));
    assert_eq!(n.nanmax_axis(1, true).unwrap(), array![[4.], [2.5]]);
    // an all-NaN lane gives NaN (numpy warns), an empty lane an error (numpy raises)
    let m = n.nanmin_axis(0, false).unwrap();
    assert_eq!(m[[0]], 1.0);
    assert!(m[[1]].is_nan());
    assert!(array![f64::NAN].nanmean().is_nan());
    assert_eq!(Array::<f64>::zeros(&[0]).nanmax(), None);
    assert!(Array::<f64>::zeros(&[3, 0]).nanmax_axis(1, false).is_err());
    // numpy: np.nansum([1+1j, complex(nan, 0)]) -> (1+1j)
    let z = Array::from_vec(vec![c64::new(1., 1.), c64::new(f64::NAN, 0.)]);
    assert_eq!(z.nansum(), c64::new(1., 1.));
}

#[test]
fn creation_gaps() {
    let a = array![[1., 2., 3.], [4., 5., 6.]];
    assert_eq!(Array::zeros_like(&a.t()), Array::<f64>::zeros(&[3, 2]));
    assert_eq!(Array::ones_like(&a), Array::<f64>::ones(&[2, 3]));
    assert_eq!(Array::full_like(&a, 2.5), Array::full(&[2, 3], 2.5));
    assert_eq!(Array::<f64>::empty(&[0, 4]).shape(), &[0, 4]);
    // numpy: np.tri(3, 2, -1), np.tri(2, 4, 2), np.tri(0)
    assert_eq!(
        Array::<f64>::tri(3, 2, -1),
        array![[0., 0.], [1., 0.], [1., 1.]]
    );
    assert_eq!(
        Array::<f64>::tri(2, 4, 2),
        array![[1., 1., 1., 0.], [1., 1., 1., 1.]]
    );
    assert_eq!(Array::<f64>::tri(0, 0, 0).shape(), &[0, 0]);
    // numpy: np.tril([1, 2, 3]) broadcasts the row
    assert_eq!(
        array![1i64, 2, 3].tril(0).unwrap(),
        array![[1i64, 0, 0], [1, 2, 0], [1, 2, 3]]
    );
    // numpy: np.triu(np.arange(12).reshape(2, 2, 3), -1) keeps everything
    let st = Array::arange(0i64, 12, 1).into_shape(&[2, 2, 3]).unwrap();
    assert_eq!(st.triu(-1).unwrap(), st);
    // triu + tril(k-1) partitions the matrix (on a transposed view)
    let t = a.t();
    let sum = &t.triu(1).unwrap() + &t.tril(0).unwrap();
    assert_eq!(sum, t.to_owned());
    assert_eq!(a.tril(-5).unwrap(), Array::zeros(&[2, 3]));
    assert!(Array::from_elem_0d(1.0).tril(0).is_err());
    // numpy: np.diagflat([[1, 2], [3, 4]], -1).shape, np.diagflat([]).shape
    let d = diagflat(&array![[1i64, 2], [3, 4]], -1);
    assert_eq!(d.shape(), &[5, 5]);
    assert_eq!(d.diagonal(-1).unwrap(), array![1i64, 2, 3, 4]);
    assert_eq!(diagflat(&Array::<f64>::zeros(&[0]), 0).shape(), &[0, 0]);
    // numpy: [g.shape for g in np.meshgrid(x, y, z)] -> (3, 2, 4) each; 'ij' -> (2, 3, 4)
    let (x, y, z) = (
        Array::arange(0., 2., 1.),
        Array::arange(0., 3., 1.),
        Array::arange(0., 4., 1.),
    );
    let g = meshgrid(&[x.view(), y.view(), z.view()], Indexing::Xy);
    assert!(g.iter().all(|g| g.shape() == [3, 2, 4]));
    assert_eq!(g[0][[2, 1, 3]], 1.0);
    assert_eq!(g[1][[2, 1, 3]], 2.0);
    assert_eq!(g[2][[2, 1, 3]], 3.0);
    let g = meshgrid(&[x.view(), y.view(), z.view()], Indexing::Ij);
    assert!(g.iter().all(|g| g.shape() == [2, 3, 4]));
    assert_eq!(g[1][[1, 2, 0]], 2.0);
    // one input stays 1-D, none gives none; a 2-D input is flattened
    assert_eq!(meshgrid(&[x.view()], Indexing::Xy)[0], x);
    assert!(meshgrid::<f64>(&[], Indexing::Ij).is_empty());
    let g = meshgrid(&[a.view(), x.view()], Indexing::Ij);
    assert_eq!(g[0].shape(), &[6, 2]);
}
