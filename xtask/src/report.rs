//! `report.md` and one SVG plot per op, from a results file.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::bench::THREAD_TIMEOUT;
use crate::model::{Record, Results};
use crate::svg;

/// Implementations in column order.
pub const IMPLS: [&str; 3] = ["lapis", "openblas", "faer"];

/// `1.23 ms`-style time.
pub fn fmt_time(s: f64) -> String {
    if !s.is_finite() {
        "—".to_string()
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

fn fmt_bytes(b: usize) -> String {
    if b >= 1 << 20 && b.is_multiple_of(1 << 20) {
        format!("{} MiB", b >> 20)
    } else {
        format!("{} KiB", b >> 10)
    }
}

/// Ops in first-appearance order.
pub fn ops(results: &Results) -> Vec<String> {
    let mut seen = Vec::new();
    for r in &results.records {
        if !seen.contains(&r.op) {
            seen.push(r.op.clone());
        }
    }
    seen
}

/// A table row: one (dtype, threads, shape) with a record per implementation.
#[derive(Debug)]
pub struct Row<'a> {
    pub dtype: &'a str,
    pub threads: usize,
    pub shape: &'a [usize],
    pub n: Option<usize>,
    pub by_impl: BTreeMap<&'a str, &'a Record>,
}

impl Row<'_> {
    /// Median time of an implementation, if it was timed.
    pub fn time(&self, imp: &str) -> Option<f64> {
        let r = self.by_impl.get(imp)?;
        (r.status == "ok").then_some(r.median_s).flatten()
    }

    /// `time(lapis) / time(peer)`.
    pub fn ratio(&self, peer: &str) -> Option<f64> {
        Some(self.time("lapis")? / self.time(peer)?)
    }
}

/// Rows of one op, ordered by dtype, threads, then sized cases by n, then fixed shapes.
pub fn rows<'a>(results: &'a Results, op: &str) -> Vec<Row<'a>> {
    type Key<'a> = (&'a str, usize, bool, usize, &'a [usize]);
    let mut map: BTreeMap<Key<'a>, Row<'a>> = BTreeMap::new();
    for r in results.records.iter().filter(|r| r.op == op) {
        let key = (
            r.dtype.as_str(),
            r.threads,
            r.n.is_none(),
            r.n.unwrap_or(0),
            r.shape.as_slice(),
        );
        map.entry(key)
            .or_insert_with(|| Row {
                dtype: &r.dtype,
                threads: r.threads,
                shape: &r.shape,
                n: r.n,
                by_impl: BTreeMap::new(),
            })
            .by_impl
            .insert(r.impl_.as_str(), r);
    }
    map.into_values().collect()
}

/// Implementations present in the results, in column order.
fn present_impls(results: &Results) -> Vec<&'static str> {
    let seen: BTreeSet<&str> = results.records.iter().map(|r| r.impl_.as_str()).collect();
    IMPLS.into_iter().filter(|i| seen.contains(i)).collect()
}

fn cell_time(r: Option<&&Record>) -> String {
    let Some(r) = r else {
        return "—".to_string();
    };
    match r.status.as_str() {
        "ok" => match (r.median_s, r.spread) {
            (Some(t), Some(s)) => format!("{} ({:.0}%)", fmt_time(t), s * 100.0),
            (Some(t), None) => fmt_time(t),
            _ => "—".to_string(),
        },
        "wrong" => format!(
            "**WRONG** (err {:.1e} > {:.1e})",
            r.rel_err.unwrap_or(f64::NAN),
            r.tol.unwrap_or(f64::NAN)
        ),
        other => format!("**{}**", other.to_uppercase()),
    }
}

fn cell_gflops(r: Option<&&Record>) -> String {
    match r.and_then(|r| (r.status == "ok").then_some(r.gflops).flatten()) {
        Some(g) if g >= 100.0 => format!("{g:.0}"),
        Some(g) => format!("{g:.1}"),
        None => "—".to_string(),
    }
}

fn fmt_ratio(x: Option<f64>) -> String {
    match x {
        Some(x) if x < 1.0 => format!("**{x:.2}**"),
        Some(x) => format!("{x:.2}"),
        None => "—".to_string(),
    }
}

fn shape_str(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|s| s.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

fn geomean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    Some((xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp())
}

fn header(results: &Results, out: &mut String) {
    let m = &results.meta;
    let _ = writeln!(out, "# Lapis benchmark report\n");
    let _ = writeln!(out, "- **Date**: {}", m.date_utc);
    let cmd = m.launcher.clone().unwrap_or_else(|| m.command.join(" "));
    let _ = writeln!(out, "- **Command**: `{cmd}`");
    let _ = writeln!(
        out,
        "- **CPU**: {} ({} logical CPUs)",
        m.cpu_model, m.logical_cpus
    );
    let c = m.lapis.cache_sizes;
    let _ = writeln!(
        out,
        "- **lapis** {}: ISA `{}`, caches L1d {} / L2 {} / L3 {}",
        m.lapis.version,
        m.lapis.isa,
        fmt_bytes(c[0]),
        fmt_bytes(c[1]),
        fmt_bytes(c[2])
    );
    match &m.peak {
        Some(p) => {
            let _ = writeln!(
                out,
                "- **Peak FMA** of one core (`{}` loop): f64 {:.1} GFLOP/s, f32 {:.1} GFLOP/s",
                p.isa, p.f64_gflops, p.f32_gflops
            );
        }
        None => {
            let _ = writeln!(out, "- **Peak FMA**: not measured");
        }
    }
    match &m.openblas {
        Some(o) => {
            let naming = format!(
                "symbols `{}cblas_dgemm{}`, {}",
                o.symbol_prefix,
                o.symbol_suffix,
                if o.ilp64 { "ILP64" } else { "LP64" }
            );
            let _ = writeln!(
                out,
                "- **OpenBLAS** {} — kernel core **{}** — `{}` ({naming}), loaded from `{}`",
                o.version, o.corename, o.config, o.path
            );
            if !o.lapack_missing.is_empty() {
                let _ = writeln!(
                    out,
                    "  - LAPACK routines missing from this build: {}",
                    o.lapack_missing.join(", ")
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "- **OpenBLAS**: not available in this run — lapis is compared with faer only"
            );
        }
    }
    if !m.env_removed.is_empty() {
        let vars: Vec<String> = m.env_removed.iter().map(|v| format!("`{v}`")).collect();
        let _ = writeln!(
            out,
            "- **OpenBLAS environment**: the runner was started *without* {} (this machine \
             exports them to protect old OpenBLAS builds); OpenBLAS chose its kernel itself",
            vars.join(", ")
        );
    }
    let timeout = format!("{}={}", THREAD_TIMEOUT.0, THREAD_TIMEOUT.1);
    if m.env_openblas_present.contains(&timeout) {
        let _ = writeln!(
            out,
            "- **OpenBLAS threads**: started with `{timeout}` (its idle workers spin for at \
             most 2^24 cycles), and at more than one thread the runner waits 25 ms, untimed, \
             after each OpenBLAS sample so they sleep before another implementation runs"
        );
    }
    let others: Vec<&String> = m
        .env_openblas_present
        .iter()
        .filter(|v| **v != timeout)
        .collect();
    if !others.is_empty() {
        let vars: Vec<String> = others.iter().map(|v| format!("`{v}`")).collect();
        let _ = writeln!(
            out,
            "- **Warning**: OpenBLAS ran with {} set",
            vars.join(", ")
        );
    }
    let _ = writeln!(out, "- **faer** {}", m.faer_version);
    let mt = &m.method;
    let _ = writeln!(
        out,
        "- **Method**: identical inputs; OpenBLAS's and faer's answers verified against \
         lapis's before timing; warm-up ≥ {} s and 2 calls per implementation; then the \
         implementations take turns (A B C A B C …) until {} s per case, ≥ {} samples each; \
         small calls batched to ≈ {} ms per sample. Times are the **median per call**; \
         (x%) is the spread, interquartile range / median.",
        mt.warmup_s,
        mt.budget_s,
        mt.min_samples,
        mt.target_sample_s * 1e3
    );
    let _ = writeln!(
        out,
        "- **Ratios** are lapis time / peer time: **< 1 means lapis is faster** (bold). \
         Absolute times on a shared machine are noise; the ratios of one run are the claim.\n"
    );
}

/// The markdown report. `svg_name(op)` gives the file name each op's plot is linked as.
pub fn markdown(results: &Results, svg_name: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    header(results, &mut out);
    let impls = present_impls(results);
    let peers: Vec<&str> = impls.iter().copied().filter(|i| *i != "lapis").collect();
    for op in ops(results) {
        let rows = rows(results, &op);
        let _ = writeln!(out, "## {op}\n");
        if rows.iter().any(|r| r.n.is_some()) {
            let _ = writeln!(out, "![{op}: GFLOP/s vs size]({})\n", svg_name(&op));
        }
        // Table.
        let mut head = "| dtype | shape | threads |".to_string();
        let mut rule = "|---|---|---:|".to_string();
        for imp in &impls {
            let _ = write!(head, " {imp} | GF/s |");
            rule.push_str("---:|---:|");
        }
        for p in &peers {
            let _ = write!(head, " lapis/{p} |");
            rule.push_str("---:|");
        }
        let _ = writeln!(out, "{head}\n{rule}");
        for row in &rows {
            let mut line = format!(
                "| {} | {} | {} |",
                row.dtype,
                shape_str(row.shape),
                row.threads
            );
            for imp in &impls {
                let r = row.by_impl.get(imp);
                let _ = write!(line, " {} | {} |", cell_time(r), cell_gflops(r));
            }
            for p in &peers {
                let _ = write!(line, " {} |", fmt_ratio(row.ratio(p)));
            }
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out);

        // Geometric means of the ratios.
        let threads: BTreeSet<usize> = rows.iter().map(|r| r.threads).collect();
        for p in &peers {
            let parts: Vec<String> = threads
                .iter()
                .filter_map(|&t| {
                    let xs: Vec<f64> = rows
                        .iter()
                        .filter(|r| r.threads == t)
                        .filter_map(|r| r.ratio(p))
                        .collect();
                    geomean(&xs).map(|g| format!("{g:.2} at {t} thread(s) ({} cases)", xs.len()))
                })
                .collect();
            if !parts.is_empty() {
                let _ = writeln!(out, "Geometric mean of lapis/{p}: {}.\n", parts.join(", "));
            }
        }

        // Fraction of peak at the largest sized case.
        if let Some(peak) = &results.meta.peak {
            let mut lines = Vec::new();
            let keys: BTreeSet<(&str, usize)> = rows.iter().map(|r| (r.dtype, r.threads)).collect();
            for (dtype, t) in keys {
                let Some(per_core) = peak.for_dtype(dtype) else {
                    continue;
                };
                let Some(row) = rows
                    .iter()
                    .filter(|r| r.dtype == dtype && r.threads == t && r.n.is_some())
                    .max_by_key(|r| r.n)
                else {
                    continue;
                };
                let top = per_core * t as f64;
                let mut cells = Vec::new();
                for imp in &impls {
                    if let Some(g) = row
                        .by_impl
                        .get(imp)
                        .and_then(|r| (r.status == "ok").then_some(r.gflops).flatten())
                    {
                        cells.push(format!("{imp} {:.0}%", 100.0 * g / top));
                    }
                }
                if cells.is_empty() {
                    continue;
                }
                lines.push(format!(
                    "| {dtype} | {t} | {} | {top:.0} | {} |",
                    row.n.unwrap_or(0),
                    cells.join(", ")
                ));
            }
            if !lines.is_empty() {
                let _ = writeln!(
                    out,
                    "Fraction of peak FMA throughput (peak × threads) reached at the largest \
                     size n:\n\n| dtype | threads | n | peak GFLOP/s | fraction of peak |\n\
                     |---|---:|---:|---:|---|"
                );
                for l in lines {
                    let _ = writeln!(out, "{l}");
                }
                let _ = writeln!(out);
            }
        }

        // Verification failures, spelled out.
        for row in &rows {
            for (imp, r) in &row.by_impl {
                if r.status != "ok" {
                    let _ = writeln!(
                        out,
                        "- {} {} {} t={}: **{}** {}",
                        imp,
                        row.dtype,
                        shape_str(row.shape),
                        row.threads,
                        r.status,
                        r.note.clone().unwrap_or_default()
                    );
                }
            }
        }
    }
    out
}

/// The SVG plot of one op: GFLOP/s vs size, one panel per (dtype, threads), one line per
/// implementation. `None` when the op has no sized cases with a flop count.
pub fn plot(results: &Results, op: &str) -> Option<String> {
    let rows = rows(results, op);
    let keys: BTreeSet<(&str, usize)> = rows.iter().map(|r| (r.dtype, r.threads)).collect();
    let mut panels = Vec::new();
    for (dtype, t) in keys {
        let mut series = Vec::new();
        for imp in IMPLS {
            let points: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r.dtype == dtype && r.threads == t)
                .filter_map(|r| {
                    let n = r.n?;
                    let rec = r.by_impl.get(imp)?;
                    let g = (rec.status == "ok").then_some(rec.gflops).flatten()?;
                    Some((n as f64, g))
                })
                .collect();
            if !points.is_empty() {
                series.push(svg::Series {
                    name: imp.to_string(),
                    points,
                });
            }
        }
        if series.is_empty() {
            continue;
        }
        let peak = results
            .meta
            .peak
            .as_ref()
            .and_then(|p| p.for_dtype(dtype))
            .map(|g| g * t as f64);
        panels.push(svg::Panel {
            title: format!("{dtype}, {t} thread{}", if t == 1 { "" } else { "s" }),
            series,
            peak,
        });
    }
    if panels.is_empty() {
        return None;
    }
    let m = &results.meta;
    let mut subtitle = format!("{} · lapis {}", m.cpu_model, m.lapis.isa);
    if let Some(o) = &m.openblas {
        let _ = write!(subtitle, " · OpenBLAS {} ({})", o.version, o.corename);
    }
    let _ = write!(subtitle, " · faer {} · {}", m.faer_version, m.date_utc);
    Some(svg::render(
        &format!("{op}: GFLOP/s vs size n (higher is better)"),
        &subtitle,
        "n",
        "GFLOP/s",
        &panels,
    ))
}
