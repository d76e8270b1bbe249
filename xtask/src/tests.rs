//! Report generation on synthetic records (no timing involved).

use crate::bench::write_report;
use crate::model::Results;
use crate::report;

/// A results file in the documented contract, written by hand.
fn synthetic_json() -> String {
    let mut records = Vec::new();
    let mut push =
        |dtype: &str, shape: [usize; 3], n: Option<usize>, t: usize, imp: &str, secs: f64| {
            let flops = 2.0 * (shape[0] * shape[1] * shape[2]) as f64;
            records.push(serde_json::json!({
                "op": "gemm", "dtype": dtype, "shape": shape, "n": n, "threads": t, "impl": imp,
                "status": "ok", "median_s": secs, "min_s": secs * 0.9, "max_s": secs * 1.2,
                "spread": 0.05, "samples": 5, "iters_per_sample": 1, "flops": flops,
                "gflops": flops / secs / 1e9, "rel_err": null, "tol": null, "note": null
            }));
        };
    for dtype in ["f32", "f64"] {
        for t in [1, 2] {
            for n in [256usize, 512, 1024] {
                let base = 2.0 * (n * n * n) as f64 / (100e9 * t as f64);
                push(dtype, [n, n, n], Some(n), t, "lapis", base);
                push(dtype, [n, n, n], Some(n), t, "openblas", base * 1.25);
                push(dtype, [n, n, n], Some(n), t, "faer", base * 0.8);
            }
            push(dtype, [2048, 64, 64], None, t, "lapis", 1e-4);
            push(dtype, [2048, 64, 64], None, t, "faer", 1e-4);
        }
    }
    // A wrong answer: reported, not timed.
    records.push(serde_json::json!({
        "op": "gemm", "dtype": "f64", "shape": [2048, 64, 64], "n": null, "threads": 1,
        "impl": "openblas", "status": "wrong", "median_s": null, "min_s": null,
        "gflops": null, "rel_err": 0.5, "tol": 2.8e-14, "note": "disagrees with lapis"
    }));
    serde_json::json!({
        "schema_version": 1,
        "meta": {
            "date_utc": "2026-01-02 03:04:05 UTC",
            "launcher": "cargo xtask bench --quick",
            "cpu_model": "Test CPU <v2> & co",
            "logical_cpus": 2,
            "lapis": {"version": "0.1.0", "isa": "avx512", "cache_sizes": [49152, 1048576, 33554432]},
            "openblas": {"path": "/x/libscipy_openblas.so", "config": "OpenBLAS 0.3.34 DYNAMIC_ARCH SkylakeX",
                         "corename": "SkylakeX", "version": "0.3.34", "symbol_prefix": "scipy_",
                         "symbol_suffix": "", "ilp64": false, "lapack_missing": []},
            "env_removed": ["OPENBLAS_CORETYPE=Haswell", "OPENBLAS_L2_SIZE=512"],
            "faer_version": "0.24.4",
            "peak": {"isa": "avx512", "f64_gflops": 125.0, "f32_gflops": 250.0},
            "method": {"warmup_s": 0.05, "budget_s": 0.3, "min_samples": 3,
                       "target_sample_s": 0.001, "alternating": true},
            "some_future_field": 42
        },
        "records": records
    })
    .to_string()
}

fn load() -> Results {
    serde_json::from_str(&synthetic_json()).expect("contract JSON parses")
}

#[test]
fn json_contract_round_trips() {
    let r = load();
    assert_eq!(r.schema_version, 1);
    assert_eq!(r.records.len(), 2 * 2 * (9 + 2) + 1);
    let first = &r.records[0];
    assert_eq!(
        (
            first.op.as_str(),
            first.dtype.as_str(),
            first.impl_.as_str()
        ),
        ("gemm", "f32", "lapis")
    );
    assert_eq!(first.shape, vec![256, 256, 256]);
    // Serialising again keeps the contract's key names.
    let again = serde_json::to_value(&r).unwrap();
    let rec = &again["records"][0];
    for key in [
        "op", "dtype", "shape", "threads", "impl", "median_s", "min_s", "gflops",
    ] {
        assert!(rec.get(key).is_some(), "missing {key}");
    }
    assert!(rec["shape"].is_array());
}

#[test]
fn markdown_has_header_table_ratios_and_peak() {
    let r = load();
    let md = report::markdown(&r, |op| format!("{op}.svg"));
    assert!(md.contains("2026-01-02 03:04:05 UTC"));
    assert!(md.contains("Test CPU <v2> & co"));
    assert!(md.contains("ISA `avx512`"));
    assert!(md.contains("kernel core **SkylakeX**"));
    assert!(md.contains("`OPENBLAS_CORETYPE=Haswell`"));
    assert!(md.contains("faer** 0.24.4"));
    assert!(md.contains("## gemm"));
    assert!(md.contains("![gemm: GFLOP/s vs size](gemm.svg)"));
    assert!(md.contains(
        "| dtype | shape | threads | lapis | GF/s | openblas | GF/s | faer | GF/s | lapis/openblas | lapis/faer |"
    ));
    // lapis/openblas = 1/1.25 = 0.80 (faster: bold); lapis/faer = 1/0.8 = 1.25.
    let row = md
        .lines()
        .find(|l| l.starts_with("| f64 | [512, 512, 512] | 2 |"))
        .expect("row present");
    assert!(row.ends_with("| **0.80** | 1.25 |"), "{row}");
    assert!(row.contains("1.34 ms (5%) | 200 |"), "{row}");
    // Square sizes come before fixed shapes, f32 before f64, 1 thread before 2.
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("| f32 | [256, 256, 256] | 1 |") < pos("| f32 | [1024, 1024, 1024] | 1 |"));
    assert!(pos("| f32 | [1024, 1024, 1024] | 1 |") < pos("| f32 | [2048, 64, 64] | 1 |"));
    assert!(pos("| f32 | [2048, 64, 64] | 1 |") < pos("| f32 | [256, 256, 256] | 2 |"));
    assert!(pos("| f32 | [256, 256, 256] | 2 |") < pos("| f64 | [256, 256, 256] | 1 |"));
    // The wrong answer is flagged, and a missing implementation is a dash.
    let wrong = md
        .lines()
        .find(|l| l.starts_with("| f64 | [2048, 64, 64] | 1 |"))
        .unwrap();
    assert!(
        wrong.contains("**WRONG** (err 5.0e-1 > 2.8e-14)"),
        "{wrong}"
    );
    let missing = md
        .lines()
        .find(|l| l.starts_with("| f32 | [2048, 64, 64] | 1 |"))
        .unwrap();
    assert!(missing.contains("| — | — |"), "{missing}");
    // lapis runs at 100 GFLOP/s per thread, f64 peak 125 per core → 80%.
    assert!(
        md.contains("| f64 | 1 | 1024 | 125 | lapis 80%, openblas 64%, faer 100% |"),
        "{md}"
    );
    assert!(md.contains("Geometric mean of lapis/openblas: 0.80 at 1 thread(s)"));
}

#[test]
fn svg_has_panels_lines_legend_and_escapes() {
    let r = load();
    let svg = report::plot(&r, "gemm").expect("plot");
    assert!(svg.starts_with("<svg "));
    assert!(svg.trim_end().ends_with("</svg>"));
    // 4 panels (f32/f64 × 1/2 threads) × 3 implementations.
    assert_eq!(svg.matches("class=\"series\"").count(), 12);
    for t in [
        "f32, 1 thread",
        "f64, 2 threads",
        "GFLOP/s",
        "lapis",
        "openblas",
        "faer",
        "FMA peak",
    ] {
        assert!(svg.contains(t), "{t} missing");
    }
    // Text is escaped.
    assert!(svg.contains("Test CPU &lt;v2&gt; &amp; co"));
    assert!(!svg.contains("<v2>"));
    // Balanced elements (a cheap well-formedness check).
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
}

#[test]
fn report_files_are_written() {
    let r = load();
    let dir = std::env::temp_dir().join(format!("xtask-report-test-{}", std::process::id()));
    let files = write_report(&r, &dir).unwrap();
    assert!(dir.join("report.md").is_file());
    assert!(dir.join("gemm.svg").is_file());
    assert_eq!(files.len(), 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn spin_timeout_set_by_the_launcher_is_not_a_warning() {
    let mut r = load();
    r.meta.env_openblas_present = vec!["OPENBLAS_THREAD_TIMEOUT=24".into()];
    let md = report::markdown(&r, |op| format!("{op}.svg"));
    assert!(md.contains("**OpenBLAS threads**: started with `OPENBLAS_THREAD_TIMEOUT=24`"));
    assert!(!md.contains("**Warning**"));
    // Anything else in OpenBLAS's environment is still flagged.
    r.meta
        .env_openblas_present
        .push("OPENBLAS_NUM_THREADS=3".into());
    let md = report::markdown(&r, |op| format!("{op}.svg"));
    assert!(md.contains("**Warning**: OpenBLAS ran with `OPENBLAS_NUM_THREADS=3` set"));
}
