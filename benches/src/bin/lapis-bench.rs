//! The bench runner: `cargo xtask bench` builds and starts it (with OpenBLAS's override
//! variables removed from its environment). It can also be run by hand:
//!
//! ```text
//! lapis-bench [--quick] [--ops gemm] [--sizes 256,512] [--threads 1,2] [--dtypes f32,f64]
//!             [--json results.json] [--peers-dir target/peers] [--env-removed NAME=VALUE]…
//!             [--budget SECONDS] [--impls lapis,openblas,faer] [--no-openblas] [--no-faer] [--no-peak]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use lapis_benches::driver::{self, Plan};
use lapis_benches::ops::{self, Dtype};
use lapis_benches::record::{
    LapisMeta, Meta, Method, OpenBlasMeta, PeakMeta, Results, SCHEMA_VERSION,
};
use lapis_benches::timing::Budget;
use lapis_benches::{openblas, peak, sysinfo};

struct Args {
    quick: bool,
    ops: Option<Vec<String>>,
    sizes: Option<Vec<usize>>,
    threads: Option<Vec<usize>>,
    dtypes: Option<Vec<Dtype>>,
    json: PathBuf,
    peers_dir: Option<PathBuf>,
    env_removed: Vec<String>,
    launcher: Option<String>,
    budget: Option<f64>,
    no_openblas: bool,
    no_faer: bool,
    impls: Option<Vec<ops::Impl>>,
    no_peak: bool,
}

fn list<T: std::str::FromStr>(flag: &str, v: &str) -> Result<Vec<T>, String> {
    v.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse()
                .map_err(|_| format!("{flag}: cannot parse {s:?}"))
        })
        .collect()
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        quick: false,
        ops: None,
        sizes: None,
        threads: None,
        dtypes: None,
        json: PathBuf::from("target/bench/results.json"),
        peers_dir: None,
        env_removed: Vec::new(),
        launcher: None,
        budget: None,
        no_openblas: false,
        no_faer: false,
        impls: None,
        no_peak: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--quick" => a.quick = true,
            "--ops" => a.ops = Some(list("--ops", &value()?)?),
            "--sizes" => a.sizes = Some(list("--sizes", &value()?)?),
            "--threads" => a.threads = Some(list("--threads", &value()?)?),
            "--dtypes" => a.dtypes = Some(list("--dtypes", &value()?)?),
            "--json" => a.json = PathBuf::from(value()?),
            "--peers-dir" => a.peers_dir = Some(PathBuf::from(value()?)),
            "--env-removed" => a.env_removed.push(value()?),
            "--launched-by" => a.launcher = Some(value()?),
            "--budget" => {
                let v = value()?;
                a.budget = Some(
                    v.parse()
                        .map_err(|_| format!("--budget: bad number {v:?}"))?,
                );
            }
            "--no-openblas" => a.no_openblas = true,
            "--no-faer" => a.no_faer = true,
            "--impls" => a.impls = Some(list("--impls", &value()?)?),
            "--no-peak" => a.no_peak = true,
            "-h" | "--help" => {
                println!(
                    "lapis-bench [--quick] [--ops gemm] [--sizes 256,512] [--threads 1,2] \
                     [--dtypes f32,f64] [--json PATH] [--peers-dir DIR] [--env-removed NAME=VALUE] [--launched-by CMD] \
                     [--budget SECONDS] [--impls lapis,openblas,faer] [--no-openblas] [--no-faer] [--no-peak]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
    }
    if a.threads.as_ref().is_some_and(|t| t.contains(&0)) {
        return Err("--threads: counts must be ≥ 1".to_string());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("lapis-bench: {e}");
            return ExitCode::from(2);
        }
    };

    // Ops.
    let names = args.ops.clone().unwrap_or_else(|| {
        ops::registry()
            .iter()
            .map(|o| o.name().to_string())
            .collect()
    });
    let mut selected = Vec::new();
    for name in &names {
        match ops::find(name) {
            Some(op) => selected.push(op),
            None if ops::PLANNED.contains(&name.as_str()) => {
                eprintln!("lapis-bench: op {name:?} is not wired into the bench yet; skipped")
            }
            None => {
                let known: Vec<_> = ops::registry().iter().map(|o| o.name()).collect();
                eprintln!(
                    "lapis-bench: unknown op {name:?} (known: {})",
                    known.join(", ")
                );
                return ExitCode::from(2);
            }
        }
    }

    // Environment that OpenBLAS reads at load time.
    let env_present: Vec<String> = std::env::vars()
        .filter(|(k, _)| {
            k.starts_with("OPENBLAS_") || k.starts_with("GOTO_") || k == "OMP_NUM_THREADS"
        })
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for v in &env_present {
        eprintln!("lapis-bench: warning: {v} is set; OpenBLAS will honour it");
    }

    // Peak FMA first, on a quiet process.
    let isa = lapis_kernels::arch();
    let peak = if args.no_peak {
        None
    } else {
        peak::measure(isa, 0.005)
    };
    match &peak {
        Some(p) => eprintln!(
            "peak FMA ({}) per core: f64 {:.1} GFLOP/s, f32 {:.1} GFLOP/s",
            p.isa, p.f64_gflops, p.f32_gflops
        ),
        None => eprintln!("peak FMA: not measured for ISA {isa}"),
    }

    // OpenBLAS.
    let search = if args.no_openblas {
        openblas::Search {
            chosen: None,
            tried: Vec::new(),
        }
    } else {
        openblas::search(args.peers_dir.as_deref())
    };
    let search_log: Vec<String> = search
        .tried
        .iter()
        .map(|t| match &t.outcome {
            Ok(c) => format!("{}: {c}", t.path.display()),
            Err(e) => format!("{}: {e}", t.path.display()),
        })
        .collect();
    let ob = search.chosen.as_ref();
    match ob {
        Some(ob) => {
            eprintln!("OpenBLAS: {} (core {})", ob.config, ob.corename);
            eprintln!("          from {}", ob.path.display());
            if !args.env_removed.is_empty() {
                eprintln!(
                    "          started without {} (removed by the launcher)",
                    args.env_removed.join(" ")
                );
            }
        }
        None if args.no_openblas => eprintln!("OpenBLAS: disabled (--no-openblas)"),
        None => {
            eprintln!("OpenBLAS: NOT FOUND — benchmarking lapis against faer only.");
            eprintln!("          set LAPIS_OPENBLAS=/path/to/libopenblas.so, or let");
            eprintln!("          `cargo xtask bench` install scipy-openblas32 under target/peers/");
            for l in &search_log {
                eprintln!("          tried {l}");
            }
        }
    }
    let caches = lapis_kernels::cache_sizes();
    eprintln!(
        "lapis: ISA {isa}, caches L1d {} KiB, L2 {} KiB, L3 {} KiB; faer {}",
        caches.l1d / 1024,
        caches.l2 / 1024,
        caches.l3 / 1024,
        lapis_benches::faer::VERSION
    );

    let mut budget = if args.quick {
        Budget::QUICK
    } else {
        Budget::DEFAULT
    };
    if let Some(b) = args.budget {
        budget.budget_s = b;
    }
    let plan = Plan {
        ops: selected,
        dtypes: args.dtypes.clone().unwrap_or_else(|| Dtype::ALL.to_vec()),
        sizes: args.sizes.clone(),
        threads: args.threads.clone().unwrap_or_else(|| vec![1, 2]),
        quick: args.quick,
        budget,
        impls: args
            .impls
            .clone()
            .unwrap_or_else(|| ops::Impl::ALL.to_vec())
            .into_iter()
            .filter(|i| !(args.no_faer && *i == ops::Impl::Faer))
            .collect(),
    };
    let unix = sysinfo::unix_time();
    let records = driver::run(&plan, ob, |line| eprintln!("{line}"));

    let results = Results {
        schema_version: SCHEMA_VERSION,
        meta: Meta {
            date_utc: sysinfo::utc_string(unix),
            unix_time: unix,
            command: std::env::args().collect(),
            launcher: args.launcher.clone(),
            quick: args.quick,
            cpu_model: sysinfo::cpu_model(),
            logical_cpus: sysinfo::logical_cpus(),
            lapis: LapisMeta {
                version: env!("CARGO_PKG_VERSION").to_string(),
                isa: isa.name().to_string(),
                cache_sizes: [caches.l1d, caches.l2, caches.l3],
            },
            openblas: ob.map(|ob| OpenBlasMeta {
                path: ob.path.display().to_string(),
                config: ob.config.clone(),
                corename: ob.corename.clone(),
                version: ob
                    .version
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join("."),
                symbol_prefix: ob.prefix.to_string(),
                symbol_suffix: ob.suffix.to_string(),
                ilp64: ob.ilp64,
                lapack_missing: ob.missing_lapack(),
            }),
            openblas_search: search_log,
            env_removed: args.env_removed.clone(),
            env_openblas_present: env_present,
            faer_version: lapis_benches::faer::VERSION.to_string(),
            peak: peak.map(|p| PeakMeta {
                isa: p.isa.name().to_string(),
                f64_gflops: p.f64_gflops,
                f32_gflops: p.f32_gflops,
            }),
            method: Method {
                warmup_s: budget.warmup_s,
                budget_s: budget.budget_s,
                min_samples: budget.min_samples,
                target_sample_s: budget.target_sample_s,
                alternating: true,
            },
        },
        records,
    };
    let dir = args.json.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(Err(e)) = dir.map(std::fs::create_dir_all) {
        eprintln!(
            "lapis-bench: cannot create the folder of {}: {e}",
            args.json.display()
        );
        return ExitCode::FAILURE;
    }
    let text = match serde_json::to_string_pretty(&results) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("lapis-bench: cannot serialise results: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&args.json, text + "\n") {
        eprintln!("lapis-bench: cannot write {}: {e}", args.json.display());
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {}", args.json.display());
    let wrong = results
        .records
        .iter()
        .filter(|r| r.status == "wrong")
        .count();
    if wrong > 0 {
        eprintln!("lapis-bench: {wrong} record(s) FAILED verification (status \"wrong\")");
    }
    ExitCode::SUCCESS
}
