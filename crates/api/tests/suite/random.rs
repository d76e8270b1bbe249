//! The seeded generator: determinism and loose statistical properties (the streams are
//! our own, so fixed expected values would only test the implementation against itself).

use lapis::random::Rng;

#[test]
fn same_seed_same_stream() {
    let a = Rng::new(123).standard_normal::<f64>(&[50]);
    let b = Rng::new(123).standard_normal::<f64>(&[50]);
    assert_eq!(a, b);
    let c = Rng::new(124).standard_normal::<f64>(&[50]);
    assert_ne!(a, c);
    // the f32 draws are the f64 draws rounded
    let u64s = Rng::new(5).uniform(0.0f64, 1.0, &[20]);
    let u32s = Rng::new(5).uniform(0.0f32, 1.0, &[20]);
    assert_eq!(u64s.mapv(|x| x as f32), u32s);
}

#[test]
fn uniform_moments() {
    let n = 100_000;
    let a = Rng::new(2024).uniform(-1.0f64, 3.0, &[n]);
    assert!(a.iter().all(|&x| (-1.0..3.0).contains(&x)));
    let mean = a.mean();
    let var = a.mapv(|x| (x - mean) * (x - mean)).mean();
    // U(-1, 3): mean 1, variance 16/12
    assert!((mean - 1.0).abs() < 0.02, "mean {mean}");
    assert!((var - 16.0 / 12.0).abs() < 0.03, "var {var}");
}

#[test]
fn normal_moments() {
    let n = 100_000;
    let a = Rng::new(7).standard_normal::<f64>(&[n]);
    let mean = a.mean();
    let var = a.mapv(|x| (x - mean) * (x - mean)).mean();
    let skew = a.mapv(|x| (x - mean).powi(3)).mean() / var.powf(1.5);
    let kurt = a.mapv(|x| (x - mean).powi(4)).mean() / (var * var);
    assert!(mean.abs() < 0.02, "mean {mean}");
    assert!((var - 1.0).abs() < 0.02, "var {var}");
    assert!(skew.abs() < 0.05, "skew {skew}");
    assert!((kurt - 3.0).abs() < 0.1, "kurtosis {kurt}");
    // about 68.27% within one standard deviation
    let within = a.iter().filter(|x| x.abs() < 1.0).count() as f64 / n as f64;
    assert!((within - 0.6827).abs() < 0.01, "{within}");
    let b = Rng::new(7).normal(5.0f64, 2.0, &[n]);
    assert!((b.mean() - 5.0).abs() < 0.05);
}
