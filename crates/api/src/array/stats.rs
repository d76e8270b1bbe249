//! Statistics: `var`, `std`, `ptp`, `median`, `quantile`/`percentile`, and the NaN-skipping
//! `nansum`, `nanmean`, `nanmax`, `nanmin`, over the whole array or along one axis with
//! `keepdims`.
//!
//! `var`/`std` take an [`Inexact`] array (for integers, numpy computes in `float64`: write
//! `a.astype::<f64>().var(0)`) and return the part type, so complex input gives a real
//! result: `var = mean(|x − mean(x)|²)`, computed in two passes (the one-pass
//! `E[x²] − E[x]²` loses every digit when the mean is large against the spread).
//! `median` and `quantile` take real floats and use numpy's default `method='linear'`,
//! with numpy's exact interpolation formula.

use core::cmp::Ordering;

use super::shape::normalize_axis;
use super::{Array, ArrayBase, Data};
use crate::{Inexact, LinalgError, Number, RealNumber};

/// numpy's sort order for real numbers: NaN after everything, NaNs equal to each other.
pub(super) fn cmp_nan_last<T: RealNumber>(a: &T, b: &T) -> Ordering {
    a.partial_cmp(b)
        .unwrap_or_else(|| a.is_nan().cmp(&b.is_nan()))
}

/// `mean(|x − mean(x)|²)` with `n − ddof` as the divisor; NaN when empty, ±inf or NaN
/// (from the division by 0) when `ddof ≥ n`, as numpy.
fn var_of<T: Inexact>(x: &[T], ddof: usize) -> T::Float {
    let n = x.len();
    if n == 0 {
        return <T::Float as Inexact>::nan_elem();
    }
    let mean = x
        .iter()
        .fold(T::zero(), |a, &v| a + v)
        .div_elem(T::from_usize(n));
    let ss = x.iter().fold(<T::Float as Number>::zero(), |a, &v| {
        let d = v - mean;
        let (re, im) = (d.re(), d.im());
        a + (re * re + im * im)
    });
    ss / <T::Float as Number>::from_usize(n.saturating_sub(ddof))
}

/// numpy's `_lerp`: `a + (b − a)·t`, or `b − (b − a)·(1 − t)` for `t ≥ ½` (exact at both
/// ends and monotone).
fn lerp<T: RealNumber>(a: T, b: T, t: T) -> T {
    let d = b - a;
    if t >= T::from_f64(0.5) {
        b - d * (T::one() - t)
    } else {
        a + d * t
    }
}

/// The `q`-quantile (linear method) of a lane; NaN when the lane holds a NaN. `q` is
/// already checked to lie in [0, 1] and the lane is not empty.
fn quantile_of<T: Inexact<Float = T> + RealNumber>(lane: &[T], q: T) -> T {
    let mut v = lane.to_vec();
    v.sort_unstable_by(cmp_nan_last);
    let n = v.len();
    if v[n - 1].is_nan() {
        return v[n - 1];
    }
    let virt = T::from_usize(n - 1) * q;
    let lo = (virt.to_f64().floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    lerp(v[lo], v[hi], virt - T::from_usize(lo))
}

/// numpy's median of a lane: the middle element, or the mean `(a + b) / 2` of the two
/// middle ones; NaN when empty or when the lane holds a NaN.
fn median_of<T: Inexact<Float = T> + RealNumber>(lane: &[T]) -> T {
    let n = lane.len();
    if n == 0 {
        return T::nan_elem();
    }
    let mut v = lane.to_vec();
    v.sort_unstable_by(cmp_nan_last);
    if v[n - 1].is_nan() {
        return v[n - 1];
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / T::from_usize(2)
    }
}

fn check_q<T: RealNumber>(op: &'static str, q: T, hi: T, what: &str) -> Result<(), LinalgError> {
    if q >= T::zero() && q <= hi {
        Ok(())
    } else {
        Err(LinalgError::invalid(
            op,
            format!("{what} must be in the range [0, {}]", hi.to_f64()),
        ))
    }
}

fn empty_quantile(op: &'static str) -> LinalgError {
    LinalgError::invalid(op, "cannot take a quantile of an empty array")
}

/// NaN-skipping extreme; `None` when empty, NaN when every element is NaN.
fn nan_extreme<T: RealNumber>(lane: impl Iterator<Item = T>, want_greater: bool) -> Option<T> {
    let mut best: Option<T> = None;
    for x in lane {
        best = Some(match best {
            None => x,
            Some(b) if b.is_nan() => x,
            Some(b) if x.is_nan() => b,
            Some(b) if (want_greater && x > b) || (!want_greater && x < b) => x,
            Some(b) => b,
        });
    }
    best
}

fn nanmean_of<T: Inexact>(lane: impl Iterator<Item = T>) -> T {
    let (s, n) = lane
        .filter(|x| !x.is_nan())
        .fold((T::zero(), 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        T::nan_elem()
    } else {
        s.div_elem(T::from_usize(n))
    }
}

impl<T: Inexact, S: Data<Elem = T>> ArrayBase<S> {
    /// The variance `mean(|x − mean(x)|²)·N/(N − ddof)` of all elements (numpy's
    /// `np.var(a, ddof=ddof)`); real for a complex array, NaN when empty, inf or NaN when
    /// `ddof ≥ N` (numpy warns; Lapis does not).
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.var([1., 2., 3., 4.]), np.var([1., 2., 3., 4.], ddof=1)
    /// let a = array![1., 2., 3., 4.];
    /// assert_eq!(a.var(0), 1.25);
    /// assert_eq!(a.var(1), 5.0 / 3.0);
    /// // numpy: np.var([1j, -1j])  -> 1.0
    /// let z = Array::from_vec(vec![c64::new(0., 1.), c64::new(0., -1.)]);
    /// assert_eq!(z.var(0), 1.0);
    /// ```
    pub fn var(&self, ddof: usize) -> T::Float {
        var_of(&self.ravel().to_vec(), ddof)
    }

    /// Variances along `axis` (negative counts from the end), the axis kept with length 1
    /// under `keepdims` (numpy's `np.var(a, axis, ddof=ddof, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.var([[1., 2.], [3., 5.]], axis=0)
    /// let a = array![[1., 2.], [3., 5.]];
    /// assert_eq!(a.var_axis(0, 0, false).unwrap(), array![1., 2.25]);
    /// ```
    pub fn var_axis(
        &self,
        axis: isize,
        ddof: usize,
        keepdims: bool,
    ) -> Result<Array<T::Float>, LinalgError> {
        self.reduce_lanes(axis, keepdims, |lane| var_of(lane, ddof))
    }

    /// The standard deviation `sqrt(var(ddof))` (numpy's `np.std(a, ddof=ddof)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.std([2., 4., 4., 4., 5., 5., 7., 9.])
    /// assert_eq!(array![2., 4., 4., 4., 5., 5., 7., 9.].std(0), 2.0);
    /// ```
    pub fn std(&self, ddof: usize) -> T::Float {
        self.var(ddof).sqrt_elem()
    }

    /// Standard deviations along `axis` (numpy's `np.std(a, axis, ddof=ddof,
    /// keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.std([[1., 3.], [2., 2.]], axis=-1, keepdims=True)
    /// let a = array![[1., 3.], [2., 2.]];
    /// assert_eq!(a.std_axis(-1, 0, true).unwrap(), array![[1.], [0.]]);
    /// ```
    pub fn std_axis(
        &self,
        axis: isize,
        ddof: usize,
        keepdims: bool,
    ) -> Result<Array<T::Float>, LinalgError> {
        self.reduce_lanes(axis, keepdims, |lane| var_of(lane, ddof).sqrt_elem())
    }

    /// The sum with NaNs counted as zero (numpy's `np.nansum(a)`); for complex, an element
    /// with a NaN part is skipped.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nansum([1., np.nan, 2.])
    /// assert_eq!(array![1., f64::NAN, 2.].nansum(), 3.0);
    /// ```
    pub fn nansum(&self) -> T {
        self.iter()
            .filter(|x| !x.is_nan())
            .fold(T::zero(), |a, &x| a + x)
    }

    /// NaN-skipping sums along `axis` (numpy's `np.nansum(a, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nansum([[1., np.nan], [np.nan, np.nan]], axis=1)
    /// let a = array![[1., f64::NAN], [f64::NAN, f64::NAN]];
    /// assert_eq!(a.nansum_axis(1, false).unwrap(), array![1., 0.]);
    /// ```
    pub fn nansum_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.reduce_lanes(axis, keepdims, |lane| {
            lane.iter()
                .filter(|x| !x.is_nan())
                .fold(T::zero(), |a, &x| a + x)
        })
    }

    /// The mean of the non-NaN elements (numpy's `np.nanmean(a)`); NaN when there are none
    /// (numpy warns).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nanmean([1., np.nan, 2.])
    /// assert_eq!(array![1., f64::NAN, 2.].nanmean(), 1.5);
    /// assert!(array![f64::NAN].nanmean().is_nan());
    /// ```
    pub fn nanmean(&self) -> T {
        nanmean_of(self.iter().copied())
    }

    /// NaN-skipping means along `axis` (numpy's `np.nanmean(a, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nanmean([[1., np.nan], [2., 4.]], axis=1)
    /// let a = array![[1., f64::NAN], [2., 4.]];
    /// assert_eq!(a.nanmean_axis(1, false).unwrap(), array![1., 3.]);
    /// ```
    pub fn nanmean_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.reduce_lanes(axis, keepdims, |lane| nanmean_of(lane.iter().copied()))
    }
}

impl<T: RealNumber, S: Data<Elem = T>> ArrayBase<S> {
    /// The range `max − min` (numpy's `np.ptp(a)`, "peak to peak"); NaN if any element is
    /// NaN, `None` when empty (numpy raises).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.ptp([[4, 9], [2, 3]])
    /// assert_eq!(array![[4i64, 9], [2, 3]].ptp(), Some(7));
    /// ```
    pub fn ptp(&self) -> Option<T> {
        Some(self.max()? - self.min()?)
    }

    /// Ranges along `axis` (numpy's `np.ptp(a, axis, keepdims=keepdims)`); fails on an
    /// empty lane.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.ptp([[4., 9.], [2., 3.]], axis=0)
    /// let a = array![[4., 9.], [2., 3.]];
    /// assert_eq!(a.ptp_axis(0, false).unwrap(), array![2., 6.]);
    /// ```
    pub fn ptp_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        let hi = self.max_axis(axis, keepdims)?;
        let lo = self.min_axis(axis, keepdims)?;
        hi.try_sub(&lo)
    }

    /// The largest non-NaN element (numpy's `np.nanmax(a)`): NaN when every element is
    /// NaN (numpy warns), `None` when empty (numpy raises).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nanmax([1., np.nan, 3.])
    /// assert_eq!(array![1., f64::NAN, 3.].nanmax(), Some(3.0));
    /// ```
    pub fn nanmax(&self) -> Option<T> {
        nan_extreme(self.iter().copied(), true)
    }

    /// The smallest non-NaN element (numpy's `np.nanmin(a)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nanmin([np.nan, 2., 1.])
    /// assert_eq!(array![f64::NAN, 2., 1.].nanmin(), Some(1.0));
    /// ```
    pub fn nanmin(&self) -> Option<T> {
        nan_extreme(self.iter().copied(), false)
    }

    /// NaN-skipping maxima along `axis` (numpy's `np.nanmax(a, axis, keepdims=keepdims)`);
    /// fails on an empty lane.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nanmax([[1., np.nan], [np.nan, 5.]], axis=0)
    /// let a = array![[1., f64::NAN], [f64::NAN, 5.]];
    /// assert_eq!(a.nanmax_axis(0, false).unwrap(), array![1., 5.]);
    /// ```
    pub fn nanmax_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.nan_extreme_axis("nanmax", axis, keepdims, true)
    }

    /// NaN-skipping minima along `axis` (numpy's `np.nanmin(a, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nanmin([[1., np.nan], [np.nan, 5.]], axis=1)
    /// let a = array![[1., f64::NAN], [f64::NAN, 5.]];
    /// assert_eq!(a.nanmin_axis(1, false).unwrap(), array![1., 5.]);
    /// ```
    pub fn nanmin_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.nan_extreme_axis("nanmin", axis, keepdims, false)
    }

    fn nan_extreme_axis(
        &self,
        op: &'static str,
        axis: isize,
        keepdims: bool,
        want_greater: bool,
    ) -> Result<Array<T>, LinalgError> {
        if self.shape[normalize_axis(axis, self.ndim())?] == 0 {
            return Err(LinalgError::invalid(
                op,
                "zero-size array to reduction operation which has no identity",
            ));
        }
        self.reduce_lanes(axis, keepdims, |lane| {
            nan_extreme(lane.iter().copied(), want_greater).unwrap_or(T::zero())
        })
    }
}

impl<T: Inexact<Float = T> + RealNumber, S: Data<Elem = T>> ArrayBase<S> {
    /// The median (numpy's `np.median(a)`): the middle of the sorted elements, or the mean
    /// of the two middle ones; NaN when any element is NaN or the array is empty.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.median([3., 1., 2.]), np.median([4., 1., 3., 2.])
    /// assert_eq!(array![3., 1., 2.].median(), 2.0);
    /// assert_eq!(array![4., 1., 3., 2.].median(), 2.5);
    /// ```
    pub fn median(&self) -> T {
        median_of(&self.ravel().to_vec())
    }

    /// Medians along `axis` (numpy's `np.median(a, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.median([[1., 5., 2.], [7., 3., 4.]], axis=1)
    /// let a = array![[1., 5., 2.], [7., 3., 4.]];
    /// assert_eq!(a.median_axis(1, false).unwrap(), array![2., 4.]);
    /// ```
    pub fn median_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.reduce_lanes(axis, keepdims, median_of)
    }

    /// The `q`-quantile, `q` in `[0, 1]`, by linear interpolation between the sorted
    /// elements at `⌊(N − 1)q⌋` and the next (numpy's `np.quantile(a, q)`, default
    /// `method='linear'`); NaN when any element is NaN.
    ///
    /// Fails when `q` is outside `[0, 1]` (or NaN) and on an empty array.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.quantile([1., 2., 3., 4.], 0.25)
    /// assert_eq!(array![1., 2., 3., 4.].quantile(0.25).unwrap(), 1.75);
    /// assert!(array![1., 2.].quantile(1.5).is_err());
    /// ```
    pub fn quantile(&self, q: T) -> Result<T, LinalgError> {
        check_q("quantile", q, T::one(), "Quantiles")?;
        if self.is_empty() {
            return Err(empty_quantile("quantile"));
        }
        Ok(quantile_of(&self.ravel().to_vec(), q))
    }

    /// `q`-quantiles along `axis` (numpy's `np.quantile(a, q, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.quantile([[1., 2., 3.], [10., 30., 20.]], 0.5, axis=-1)
    /// let a = array![[1., 2., 3.], [10., 30., 20.]];
    /// assert_eq!(a.quantile_axis(0.5, -1, false).unwrap(), array![2., 20.]);
    /// ```
    pub fn quantile_axis(
        &self,
        q: T,
        axis: isize,
        keepdims: bool,
    ) -> Result<Array<T>, LinalgError> {
        check_q("quantile", q, T::one(), "Quantiles")?;
        self.quantile_lanes("quantile", q, axis, keepdims)
    }

    /// The `p`-th percentile, `p` in `[0, 100]` (numpy's `np.percentile(a, p)`, which is
    /// the quantile at `p / 100`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.percentile([1., 2., 3., 4., 5.], 90)
    /// assert_eq!(array![1., 2., 3., 4., 5.].percentile(90.).unwrap(), 4.6);
    /// ```
    pub fn percentile(&self, p: T) -> Result<T, LinalgError> {
        check_q("percentile", p, T::from_usize(100), "Percentiles")?;
        if self.is_empty() {
            return Err(empty_quantile("percentile"));
        }
        Ok(quantile_of(&self.ravel().to_vec(), p / T::from_usize(100)))
    }

    /// Percentiles along `axis` (numpy's `np.percentile(a, p, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.percentile([[0., 10.], [5., 15.]], 50, axis=0)
    /// let a = array![[0., 10.], [5., 15.]];
    /// assert_eq!(a.percentile_axis(50., 0, false).unwrap(), array![2.5, 12.5]);
    /// ```
    pub fn percentile_axis(
        &self,
        p: T,
        axis: isize,
        keepdims: bool,
    ) -> Result<Array<T>, LinalgError> {
        check_q("percentile", p, T::from_usize(100), "Percentiles")?;
        self.quantile_lanes("percentile", p / T::from_usize(100), axis, keepdims)
    }

    fn quantile_lanes(
        &self,
        op: &'static str,
        q: T,
        axis: isize,
        keepdims: bool,
    ) -> Result<Array<T>, LinalgError> {
        if self.shape[normalize_axis(axis, self.ndim())?] == 0 {
            return Err(empty_quantile(op));
        }
        self.reduce_lanes(axis, keepdims, |lane| quantile_of(lane, q))
    }
}
