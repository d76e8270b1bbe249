//! The timing method: warm-up, then implementations run in turn (A B C A B C …) until a
//! per-case time budget is spent, so slow drift (frequency, other tenants) hits all alike.
//!
//! Small calls are batched: each sample runs `iters` calls, chosen so a sample lasts about
//! [`Budget::target_sample_s`]; recorded times are per call.

/// Time limits of one case.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    /// Warm-up seconds per implementation (at least two calls are always made).
    pub warmup_s: f64,
    /// Seconds of timed samples per case, all implementations together.
    pub budget_s: f64,
    /// Samples per implementation at least, even past the budget.
    pub min_samples: usize,
    /// Samples per implementation at most.
    pub max_samples: usize,
    /// Target length of one sample.
    pub target_sample_s: f64,
}

impl Budget {
    /// The default run.
    pub const DEFAULT: Budget = Budget {
        warmup_s: 0.2,
        budget_s: 1.5,
        min_samples: 5,
        max_samples: 2000,
        target_sample_s: 2e-3,
    };
    /// `--quick`.
    pub const QUICK: Budget = Budget {
        warmup_s: 0.05,
        budget_s: 0.3,
        min_samples: 3,
        max_samples: 500,
        target_sample_s: 1e-3,
    };
}

/// Summary of one implementation's samples (seconds per call).
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    /// Median.
    pub median: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// First quartile.
    pub q1: f64,
    /// Third quartile.
    pub q3: f64,
    /// Number of samples.
    pub samples: usize,
    /// Calls per sample.
    pub iters: usize,
}

/// Linear-interpolated quantile of sorted data.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

impl Stats {
    /// Summarises per-call times.
    pub fn from_samples(mut samples: Vec<f64>, iters: usize) -> Stats {
        samples.sort_by(f64::total_cmp);
        Stats {
            median: quantile(&samples, 0.5),
            min: samples.first().copied().unwrap_or(f64::NAN),
            max: samples.last().copied().unwrap_or(f64::NAN),
            q1: quantile(&samples, 0.25),
            q3: quantile(&samples, 0.75),
            samples: samples.len(),
            iters,
        }
    }

    /// Interquartile range over the median.
    pub fn spread(&self) -> f64 {
        (self.q3 - self.q1) / self.median
    }
}

/// Warms one implementation up; returns the best seconds per call seen.
///
/// `run(iters)` makes `iters` calls and returns the seconds they took.
pub fn warm_up(
    mut run: impl FnMut(usize) -> Result<f64, String>,
    budget: &Budget,
) -> Result<f64, String> {
    let mut best = f64::INFINITY;
    let mut spent = 0.0;
    let mut calls = 0usize;
    let mut iters = 1usize;
    while calls < 2 || spent < budget.warmup_s {
        let t = run(iters)?;
        best = best.min(t / iters as f64);
        spent += t;
        calls += iters;
        // Grow batches for tiny calls so warm-up does not spin on timer overhead.
        if t < budget.target_sample_s / 4.0 {
            iters = iters.saturating_mul(2).min(1 << 24);
        }
    }
    Ok(best)
}

/// Calls per sample for an implementation taking `per_call` seconds.
pub fn iters_for(per_call: f64, budget: &Budget) -> usize {
    let n = (budget.target_sample_s / per_call.max(1e-10)).ceil();
    n.clamp(1.0, 1e7) as usize
}

/// Times `iters.len()` implementations in turn until the budget is spent.
///
/// `run(i, iters)` makes `iters` calls of implementation `i` and returns the seconds they
/// took. An implementation whose call fails drops out with its error.
pub fn alternate(
    iters: &[usize],
    mut run: impl FnMut(usize, usize) -> Result<f64, String>,
    budget: &Budget,
) -> Vec<Result<Stats, String>> {
    let k = iters.len();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); k];
    let mut failed: Vec<Option<String>> = vec![None; k];
    let mut spent = 0.0;
    let mut rounds = 0usize;
    while rounds < budget.max_samples && (rounds < budget.min_samples || spent < budget.budget_s) {
        let mut any = false;
        for i in 0..k {
            if failed[i].is_some() {
                continue;
            }
            match run(i, iters[i]) {
                Ok(t) => {
                    samples[i].push(t / iters[i] as f64);
                    spent += t;
                    any = true;
                }
                Err(e) => failed[i] = Some(e),
            }
        }
        if !any {
            break;
        }
        rounds += 1;
    }
    samples
        .into_iter()
        .zip(failed)
        .enumerate()
        .map(|(i, (s, f))| match f {
            Some(e) => Err(e),
            None => Ok(Stats::from_samples(s, iters[i])),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_known_samples() {
        let s = Stats::from_samples(vec![4.0, 1.0, 3.0, 2.0, 5.0], 10);
        assert_eq!(s.median, 3.0);
        assert_eq!(s.min, 1.0);
        assert_eq!(s.max, 5.0);
        assert_eq!((s.q1, s.q3), (2.0, 4.0));
        assert!((s.spread() - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn alternation_interleaves_and_respects_min_samples() {
        let mut order = Vec::new();
        let budget = Budget {
            budget_s: 0.0,
            min_samples: 3,
            ..Budget::QUICK
        };
        let out = alternate(
            &[1, 2],
            |i, it| {
                order.push(i);
                Ok(1e-3 * it as f64)
            },
            &budget,
        );
        assert_eq!(order, vec![0, 1, 0, 1, 0, 1]);
        let s1 = out[1].as_ref().unwrap();
        assert_eq!(s1.samples, 3);
        assert!((s1.median - 1e-3).abs() < 1e-15);
    }
}
