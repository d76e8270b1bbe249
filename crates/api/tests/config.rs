//! `lapis::config`: thread settings (scoped, global, environment), their mapping onto the
//! kernels' `Par`, and `show_config`.

use std::process::Command;

use lapis::config::{self, ThreadsSource};
use lapis::kernels::Par;
use lapis::{Array, matmul};

#[test]
fn scoped_setting_maps_to_par_and_restores() {
    let outer = config::num_threads();
    config::with_num_threads(1, || {
        assert_eq!(config::num_threads(), 1);
        assert_eq!(config::par(), Par::Seq);
        config::with_num_threads(5, || {
            assert_eq!(config::par(), Par::Rayon(5));
            assert_eq!(config::config_info().threads_source, ThreadsSource::Scoped);
        });
        assert_eq!(config::num_threads(), 1);
    });
    // n = 0 clears the scope
    config::with_num_threads(2, || {
        config::with_num_threads(0, || {
            assert_ne!(config::config_info().threads_source, ThreadsSource::Scoped)
        });
    });
    let _ = outer;
}

#[test]
fn scope_restores_after_panic() {
    let r = std::panic::catch_unwind(|| {
        config::with_num_threads(7, || {
            assert_eq!(config::num_threads(), 7);
            panic!("boom");
        })
    });
    assert!(r.is_err());
    assert_ne!(config::config_info().threads_source, ThreadsSource::Scoped);
}

#[test]
fn scopes_are_per_thread() {
    config::with_num_threads(3, || {
        let other = std::thread::spawn(|| config::config_info().threads_source)
            .join()
            .unwrap();
        assert_ne!(other, ThreadsSource::Scoped);
        assert_eq!(config::num_threads(), 3);
    });
}

#[test]
fn install_runs_on_exactly_n_threads() {
    for n in [1, 2, 3, 6] {
        let (par, seen, inner) = config::with_num_threads(n, || {
            config::install(|par| {
                // work inside the pool sees the same setting
                let inner = rayon::join(config::num_threads, || ()).0;
                (par, rayon::current_num_threads(), inner)
            })
        });
        assert_eq!(par, if n == 1 { Par::Seq } else { Par::Rayon(n) });
        if n > 1 {
            assert_eq!(seen, n);
            assert_eq!(inner, n);
        }
    }
}

#[test]
fn products_give_the_same_answer_for_any_thread_count() {
    let a = Array::from_shape_fn(&[96, 80], |ix| ((ix[0] * 7 + ix[1] * 3) % 11) as f64 - 5.0);
    let b = Array::from_shape_fn(&[80, 64], |ix| ((ix[0] * 5 + ix[1]) % 13) as f64 - 6.0);
    let want = config::with_num_threads(1, || matmul(&a, &b).unwrap());
    for n in [2, 3, 4] {
        let got = config::with_num_threads(n, || matmul(&a, &b).unwrap());
        assert_eq!(got, want, "{n} threads");
    }
    let s = Array::from_shape_fn(&[64, 8, 8], |ix| (ix[0] + ix[1] * ix[2]) as f64);
    let one = config::with_num_threads(1, || matmul(&s, &s).unwrap());
    let three = config::with_num_threads(3, || matmul(&s, &s).unwrap());
    assert_eq!(one, three);
}

#[test]
fn set_num_threads_is_global_and_scopes_win() {
    config::set_num_threads(2);
    let other = std::thread::spawn(config::num_threads).join().unwrap();
    assert_eq!(other, 2);
    assert_eq!(config::with_num_threads(1, config::num_threads), 1);
    config::set_num_threads(usize::MAX);
    assert_eq!(config::num_threads(), config::MAX_THREADS);
    config::set_num_threads(0);
    assert_ne!(config::config_info().threads_source, ThreadsSource::Set);
}

#[test]
fn config_info_and_show_config() {
    let info = config::config_info();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.isa, lapis::kernels::arch());
    assert!(info.isas_supported.contains(&info.isa));
    assert!(info.isas_supported.contains(&info.isa_detected));
    assert!(info.cache.l1d > 0 && info.cache.l2 >= info.cache.l1d);
    assert_eq!(info.os, std::env::consts::OS);
    let text = info.to_string();
    for key in [
        "Build Dependencies:",
        "SIMD Extensions:",
        "selected: ",
        "Cache Sizes:",
        "Threading:",
        "num_threads: ",
        "Machine Information:",
    ] {
        assert!(text.contains(key), "missing {key:?} in\n{text}");
    }
    config::show_config();
}

/// The environment variable is read once, at first use: checked in child processes.
#[test]
fn env_variable_in_child_process() {
    if std::env::var_os("LAPIS_CONFIG_CHILD").is_some() {
        return; // the child runs `env_child` only
    }
    let exe = std::env::current_exe().unwrap();
    let run = |value: &str| {
        Command::new(&exe)
            .args(["--exact", "env_child", "--nocapture", "--test-threads=1"])
            .env("LAPIS_CONFIG_CHILD", value)
            .env("LAPIS_NUM_THREADS", value)
            .output()
            .unwrap()
    };
    let ok = run("3");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let bad = run("lots");
    assert!(
        bad.status.success(),
        "{}",
        String::from_utf8_lossy(&bad.stdout)
    );
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("ignoring LAPIS_NUM_THREADS"), "{stderr}");
}

#[test]
fn env_child() {
    let Some(v) = std::env::var_os("LAPIS_CONFIG_CHILD") else {
        return;
    };
    let info = config::config_info();
    if v == "3" {
        assert_eq!(
            (info.num_threads, info.threads_source),
            (3, ThreadsSource::Env)
        );
        assert_eq!(config::par(), Par::Rayon(3));
    } else {
        assert_eq!(info.threads_source, ThreadsSource::Default);
        assert_eq!(info.num_threads, rayon::current_num_threads());
    }
}
