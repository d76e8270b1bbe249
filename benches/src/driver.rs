//! Runs a plan: every case of every op, for every thread count, on every implementation.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::openblas::OpenBlas;
use crate::ops::{BenchOp, Case, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::record::Record;
use crate::timing::{self, Budget, Stats};

/// What to run.
#[derive(Clone)]
pub struct Plan {
    /// Ops, in order.
    pub ops: Vec<&'static dyn BenchOp>,
    /// Element types.
    pub dtypes: Vec<Dtype>,
    /// `--sizes`, if given.
    pub sizes: Option<Vec<usize>>,
    /// Thread counts.
    pub threads: Vec<usize>,
    /// `--quick`.
    pub quick: bool,
    /// Timing limits per case.
    pub budget: Budget,
    /// Implementations to run (OpenBLAS is skipped when not loaded). lapis is the
    /// reference answer; without it nothing is verified.
    pub impls: Vec<Impl>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field(
                "ops",
                &self.ops.iter().map(|o| o.name()).collect::<Vec<_>>(),
            )
            .field("dtypes", &self.dtypes)
            .field("sizes", &self.sizes)
            .field("threads", &self.threads)
            .field("quick", &self.quick)
            .finish_non_exhaustive()
    }
}

/// A deterministic seed per case, so every run (and every implementation) sees the same data.
fn seed_for(op: &str, case: &Case) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u64| {
        h ^= x;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    op.bytes().for_each(|b| eat(u64::from(b)));
    eat(case.dtype as u64);
    case.shape.iter().for_each(|&s| eat(s as u64));
    h
}

/// `1.23 ms`-style rendering for logs.
pub fn fmt_time(s: f64) -> String {
    if !s.is_finite() {
        "-".to_string()
    } else if s < 1e-6 {
        format!("{:.1} ns", s * 1e9)
    } else if s < 1e-3 {
        format!("{:.2} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.3} s")
    }
}

/// Status of one implementation in one case before timing.
enum Gate {
    Ok(Option<Verdict>),
    Wrong(Verdict, String),
    Error(String),
}

/// How long the runner waits, untimed, after each OpenBLAS sample at more than one thread.
///
/// OpenBLAS's idle workers spin for `2^OPENBLAS_THREAD_TIMEOUT` cycles after a call before
/// they sleep (`cargo xtask bench` sets 2²⁴, about 6.5 ms at 2.6 GHz; see `xtask/src/bench.rs`).
/// On a machine with no more cores than threads, a worker still spinning holds a core that
/// the next implementation's threads need, so the next sample waits until they sleep.
const OPENBLAS_SETTLE: Duration = Duration::from_millis(25);

/// Shortest sample at more than one thread, so that [`OPENBLAS_SETTLE`] after each OpenBLAS
/// sample adds at most half the timed time to the run.
const MIN_SAMPLE_THREADED_S: f64 = 0.05;

/// Runs `iters` calls of `imp`, inside `pool` for the rayon-based implementations; after
/// OpenBLAS at more than one thread, waits [`OPENBLAS_SETTLE`] (untimed).
fn timed(
    p: &mut dyn Prepared,
    imp: Impl,
    iters: usize,
    ctx: &Ctx<'_>,
    pool: Option<&rayon::ThreadPool>,
) -> Result<f64, String> {
    let mut body = || {
        let start = Instant::now();
        for _ in 0..iters {
            p.run(imp, ctx)?;
        }
        Ok(start.elapsed().as_secs_f64())
    };
    let t = match (imp, pool) {
        (Impl::Lapis | Impl::Faer, Some(pool)) => pool.install(body),
        _ => body(),
    };
    if imp == Impl::OpenBlas && ctx.threads > 1 {
        std::thread::sleep(OPENBLAS_SETTLE);
    }
    t
}

/// Runs the plan, logging one line per case and thread count through `log`.
pub fn run(plan: &Plan, openblas: Option<&OpenBlas>, mut log: impl FnMut(&str)) -> Vec<Record> {
    let mut records = Vec::new();
    let mut pools: BTreeMap<usize, rayon::ThreadPool> = BTreeMap::new();
    for &t in &plan.threads {
        if t > 1 {
            match rayon::ThreadPoolBuilder::new().num_threads(t).build() {
                Ok(p) => {
                    pools.insert(t, p);
                }
                Err(e) => log(&format!("cannot build a rayon pool of {t} threads: {e}")),
            }
        }
    }
    let impls: Vec<Impl> = Impl::ALL
        .into_iter()
        .filter(|i| plan.impls.contains(i))
        .filter(|i| *i != Impl::OpenBlas || openblas.is_some())
        .collect();

    for op in &plan.ops {
        for case in op.cases(&plan.dtypes, plan.sizes.as_deref(), plan.quick) {
            let mut prepared = op.prepare(case.dtype, &case.shape, seed_for(op.name(), &case));
            for &t in &plan.threads {
                let ctx = Ctx {
                    threads: t,
                    openblas,
                };
                if let Some(ob) = openblas {
                    ob.set_num_threads(t);
                }
                let pool = pools.get(&t);
                let recs = run_case(*op, &case, &ctx, pool, prepared.as_mut(), &impls, plan);
                log(&summary_line(op.name(), &case, t, &recs));
                records.extend(recs);
            }
        }
    }
    records
}

fn run_case(
    op: &dyn BenchOp,
    case: &Case,
    ctx: &Ctx<'_>,
    pool: Option<&rayon::ThreadPool>,
    p: &mut dyn Prepared,
    impls: &[Impl],
    plan: &Plan,
) -> Vec<Record> {
    let threaded_budget = Budget {
        target_sample_s: plan.budget.target_sample_s.max(MIN_SAMPLE_THREADED_S),
        ..plan.budget
    };
    let budget = if ctx.threads > 1 {
        &threaded_budget
    } else {
        &plan.budget
    };
    // 1. Warm-up (also produces each implementation's answer).
    let mut per_call = Vec::new();
    let mut gates: Vec<Gate> = Vec::new();
    for &imp in impls {
        match timing::warm_up(|iters| timed(p, imp, iters, ctx, pool), budget) {
            Ok(t) => {
                per_call.push(t);
                gates.push(Gate::Ok(None));
            }
            Err(e) => {
                per_call.push(f64::NAN);
                gates.push(Gate::Error(e));
            }
        }
    }

    // 2. Verification against lapis; if every peer disagrees with lapis but the peers
    //    agree with each other, lapis is the one that is wrong.
    let lapis_ok = impls.first() == Some(&Impl::Lapis) && matches!(gates[0], Gate::Ok(_));
    if lapis_ok {
        let peers: Vec<usize> = (1..impls.len())
            .filter(|&i| matches!(gates[i], Gate::Ok(_)))
            .collect();
        let verdicts: Vec<Verdict> = peers
            .iter()
            .map(|&i| p.compare(impls[i], Impl::Lapis))
            .collect();
        let all_fail = !verdicts.is_empty() && verdicts.iter().all(|v| !v.ok());
        let peers_agree = peers.len() >= 2 && p.compare(impls[peers[0]], impls[peers[1]]).ok();
        if all_fail && peers_agree {
            let v = p.compare(Impl::Lapis, impls[peers[0]]);
            gates[0] = Gate::Wrong(
                v,
                format!(
                    "disagrees with {} and {}, which agree",
                    impls[peers[0]], impls[peers[1]]
                ),
            );
            for (&i, _) in peers.iter().zip(&verdicts) {
                let v = p.compare(impls[i], impls[peers[if i == peers[0] { 1 } else { 0 }]]);
                gates[i] = Gate::Ok(Some(v));
            }
        } else {
            for (&i, v) in peers.iter().zip(verdicts) {
                gates[i] = if v.ok() {
                    Gate::Ok(Some(v))
                } else {
                    Gate::Wrong(v, "disagrees with lapis".to_string())
                };
            }
        }
    }

    // 3. Alternating timing of the implementations that passed.
    let live: Vec<usize> = (0..impls.len())
        .filter(|&i| matches!(gates[i], Gate::Ok(_)))
        .collect();
    let iters: Vec<usize> = live
        .iter()
        .map(|&i| timing::iters_for(per_call[i], budget))
        .collect();
    let stats = timing::alternate(
        &iters,
        |j, it| timed(p, impls[live[j]], it, ctx, pool),
        budget,
    );
    let mut stats_of: Vec<Option<Result<Stats, String>>> = vec![None; impls.len()];
    for (j, s) in stats.into_iter().enumerate() {
        stats_of[live[j]] = Some(s);
    }

    // 4. Records.
    let flops = op.flops(&case.shape);
    impls
        .iter()
        .enumerate()
        .map(|(i, &imp)| {
            let mut r = Record {
                op: op.name().to_string(),
                dtype: case.dtype.name().to_string(),
                shape: case.shape.clone(),
                n: case.n,
                threads: ctx.threads,
                impl_: imp.name().to_string(),
                status: "ok".to_string(),
                median_s: None,
                min_s: None,
                max_s: None,
                spread: None,
                samples: 0,
                iters_per_sample: 0,
                flops,
                gflops: None,
                rel_err: None,
                tol: None,
                note: None,
            };
            match &gates[i] {
                Gate::Error(e) => {
                    r.status = "error".to_string();
                    r.note = Some(e.clone());
                }
                Gate::Wrong(v, why) => {
                    r.status = "wrong".to_string();
                    r.rel_err = Some(v.rel_err);
                    r.tol = Some(v.tol);
                    r.note = Some(why.clone());
                }
                Gate::Ok(v) => {
                    if let Some(v) = v {
                        r.rel_err = Some(v.rel_err);
                        r.tol = Some(v.tol);
                    }
                    match stats_of[i].take() {
                        Some(Ok(s)) => {
                            r.median_s = Some(s.median);
                            r.min_s = Some(s.min);
                            r.max_s = Some(s.max);
                            r.spread = Some(s.spread());
                            r.samples = s.samples;
                            r.iters_per_sample = s.iters;
                            r.gflops = flops.map(|f| f / s.median / 1e9);
                        }
                        Some(Err(e)) => {
                            r.status = "error".to_string();
                            r.note = Some(e);
                        }
                        None => {
                            r.status = "error".to_string();
                            r.note = Some("not timed".to_string());
                        }
                    }
                }
            }
            r
        })
        .collect()
}

fn summary_line(op: &str, case: &Case, threads: usize, recs: &[Record]) -> String {
    let mut line = format!(
        "{op:<6} {} {:<18} t={threads}",
        case.dtype.name(),
        format!("{:?}", case.shape)
    );
    for r in recs {
        let what = match (r.status.as_str(), r.median_s) {
            ("ok", Some(t)) => match r.gflops {
                Some(g) => format!("{} {:.1} GF/s", fmt_time(t), g),
                None => fmt_time(t),
            },
            (s, _) => format!(
                "{}{}",
                s.to_uppercase(),
                r.rel_err
                    .map(|e| format!(" err {e:.2e}"))
                    .unwrap_or_default()
            ),
        };
        line.push_str(&format!(" | {} {what}", r.impl_));
    }
    let lapis = recs
        .iter()
        .find(|r| r.impl_ == "lapis")
        .and_then(|r| r.median_s);
    for peer in ["openblas", "faer"] {
        let pt = recs
            .iter()
            .find(|r| r.impl_ == peer)
            .and_then(|r| r.median_s);
        if let (Some(l), Some(p)) = (lapis, pt) {
            line.push_str(&format!(" | lapis/{peer} {:.2}", l / p));
        }
    }
    line
}
