//! `.npy`/`.npz`: fixtures written by numpy (tests/fixtures/make_npy.py) read to the exact
//! values, Lapis round trips, and malformed bytes → `Err`, never a panic.
//!
//! `LAPIS_NPY_OUT=dir cargo test -p lapis --test suite npy::` also leaves the files Lapis writes in
//! `dir`, for `python tests/fixtures/make_npy.py --check dir` (numpy reads them back).

use std::path::PathBuf;

use lapis::io::{
    NpyArray, NpyDtype, NpyElement, NpySave, load_npy, load_npy_any, load_npz, read_npy,
    read_npy_any, read_npz, save_npy, save_npz, write_npy, write_npz,
};
use lapis::{Array, LinalgError, c32, c64, s};
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The formulas of make_npy.py: v(i) over the C-order flat index.
trait Formula: NpyElement {
    fn v(i: usize) -> Self;
}
impl Formula for f64 {
    fn v(i: usize) -> Self {
        i as f64 * 0.25 - 1.5
    }
}
impl Formula for f32 {
    fn v(i: usize) -> Self {
        i as f32 * 0.25 - 1.5
    }
}
impl Formula for i32 {
    fn v(i: usize) -> Self {
        i as i32 * 7 - 20
    }
}
impl Formula for i64 {
    fn v(i: usize) -> Self {
        i as i64 * 7 - 20
    }
}
impl Formula for usize {
    fn v(i: usize) -> Self {
        i * 7 + 3
    }
}
impl Formula for bool {
    fn v(i: usize) -> Self {
        i.is_multiple_of(3)
    }
}

impl Formula for c64 {
    fn v(i: usize) -> Self {
        c64::new(i as f64 * 0.25 - 1.5, i as f64 * 0.5 + 0.25)
    }
}
impl Formula for c32 {
    fn v(i: usize) -> Self {
        c32::new(i as f32 * 0.25 - 1.5, i as f32 * 0.5 + 0.25)
    }
}

fn values<T: Formula>(shape: &[usize]) -> Array<T> {
    let n: usize = shape.iter().product();
    Array::from_shape_vec(shape, (0..n).map(T::v).collect()).unwrap()
}

fn check<T: Formula>(name: &str, shape: &[usize]) -> Array<T> {
    let a = load_npy::<T>(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(a.shape(), shape, "{name}");
    assert_eq!(a, values::<T>(shape), "{name}");
    a
}

#[test]
fn numpy_fixtures_every_dtype() {
    check::<f32>("f4_c.npy", &[2, 3]);
    check::<f64>("f8_c.npy", &[2, 3]);
    check::<i32>("i4_c.npy", &[2, 3]);
    check::<i64>("i8_c.npy", &[2, 3]);
    check::<usize>("u8_c.npy", &[2, 3]);
    check::<bool>("b1_c.npy", &[2, 3]);
}

#[test]
fn numpy_fixtures_orders_endianness_versions() {
    let f = check::<f64>("f8_fortran.npy", &[3, 4]);
    assert!(f.is_f_contiguous() && !f.is_c_contiguous());
    check::<f64>("f8_big.npy", &[2, 3]);
    check::<i32>("i4_big.npy", &[5]);
    let g = check::<i64>("i8_big_fortran_3d.npy", &[2, 3, 4]);
    assert!(g.is_f_contiguous());
    check::<f32>("f4_big_fortran.npy", &[2, 3]);
    check::<bool>("b1_fortran.npy", &[3, 2]);
    let z = check::<f64>("f8_0d.npy", &[]);
    assert_eq!(z.item(), Some(-1.5));
    check::<f64>("f8_empty.npy", &[0, 3]);
    check::<f64>("f8_3d.npy", &[2, 3, 4]);
    check::<f64>("f8_1d.npy", &[7]);
    check::<f64>("f8_v2.npy", &[2, 3]);
    check::<f64>("f8_v3.npy", &[2, 3]);
    let sp = load_npy::<f64>(fixture("f8_special.npy")).unwrap().to_vec();
    let want = [
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e-300,
        5e-324,
        f64::MAX,
    ];
    assert_eq!(
        sp.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
}

#[test]
fn dtype_errors_are_clear() {
    let e = load_npy::<f64>(fixture("c16.npy")).unwrap_err();
    assert!(
        matches!(e, LinalgError::Unsupported { .. }) && e.to_string().contains("complex"),
        "{e}"
    );
    let e = load_npy::<f64>(fixture("u1.npy")).unwrap_err();
    assert!(matches!(e, LinalgError::Unsupported { .. }), "{e}");
    // wrong element type: names both dtypes
    let e = load_npy::<f32>(fixture("f8_c.npy")).unwrap_err();
    assert!(
        e.to_string().contains("float64") && e.to_string().contains("float32"),
        "{e}"
    );
    let any = load_npy_any(fixture("i8_c.npy")).unwrap();
    assert_eq!(
        (any.dtype(), any.shape()),
        (NpyDtype::I64, &[2usize, 3][..])
    );
    assert!(matches!(any, NpyArray::I64(_)));
    let e = load_npy::<f64>(fixture("does-not-exist.npy")).unwrap_err();
    assert!(
        matches!(
            e,
            LinalgError::Io {
                kind: std::io::ErrorKind::NotFound,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn numpy_complex_fixtures() {
    check::<c32>("c8_c.npy", &[2, 3]);
    check::<c64>("c16_c.npy", &[2, 3]);
    let f = check::<c64>("c16_fortran.npy", &[3, 4]);
    assert!(f.is_f_contiguous() && !f.is_c_contiguous());
    check::<c64>("c16_big.npy", &[2, 3]);
    let g = check::<c64>("c16_big_fortran_3d.npy", &[2, 3, 4]);
    assert!(g.is_f_contiguous());
    check::<c32>("c8_big_fortran.npy", &[2, 3]);
    assert_eq!(
        check::<c64>("c16_0d.npy", &[]).item(),
        Some(c64::new(-1.5, 0.25))
    );
    // numpy: np.load("c16.npy") -> array([1.+2.j, 3.-4.j])
    let z = load_npy::<c64>(fixture("c16.npy")).unwrap();
    assert_eq!(z.to_vec(), vec![c64::new(1., 2.), c64::new(3., -4.)]);
    let sp = load_npy::<c64>(fixture("c16_special.npy"))
        .unwrap()
        .to_vec();
    let bits = |v: &[c64]| -> Vec<(u64, u64)> {
        v.iter().map(|z| (z.re.to_bits(), z.im.to_bits())).collect()
    };
    let want = [
        c64::new(f64::NAN, 1.0),
        c64::new(f64::INFINITY, f64::NEG_INFINITY),
        c64::new(-0.0, 0.0),
        c64::new(5e-324, -f64::MAX),
    ];
    assert_eq!(bits(&sp), bits(&want));
    // dynamic dtype
    let any = load_npy_any(fixture("c8_c.npy")).unwrap();
    assert_eq!(any.dtype(), NpyDtype::Complex64);
    assert_eq!(any.dtype().name(), "complex64");
    assert!(matches!(any, NpyArray::Complex64(_)));
    // precision and realness must match the file: no silent conversion
    let e = load_npy::<c32>(fixture("c16_c.npy")).unwrap_err();
    assert!(
        e.to_string().contains("complex128") && e.to_string().contains("complex64"),
        "{e}"
    );
    let e = load_npy::<c64>(fixture("f8_c.npy")).unwrap_err();
    assert!(
        e.to_string().contains("float64") && e.to_string().contains("complex128"),
        "{e}"
    );
    let e = load_npy::<f32>(fixture("c8_c.npy")).unwrap_err();
    assert!(matches!(e, LinalgError::Unsupported { .. }), "{e}");
}

#[test]
fn complex_round_trips() {
    let a = values::<c64>(&[3, 4]);
    let views = [
        a.view(),
        a.t(),
        a.slice(s![..;2, ..;-1]),
        a.permute_axes(&[1, 0]).unwrap(),
    ];
    for v in &views {
        let mut buf = Vec::new();
        write_npy(&mut buf, v).unwrap();
        let back = read_npy::<c64>(&buf[..]).unwrap();
        assert_eq!(&back, v);
        // a Fortran-contiguous view is written in Fortran order, as numpy does
        assert_eq!(
            back.is_f_contiguous() && !back.is_c_contiguous(),
            v.is_f_contiguous() && !v.is_c_contiguous()
        );
    }
    let b = values::<c32>(&[2, 3, 2]);
    let mut buf = Vec::new();
    write_npy(&mut buf, &b).unwrap();
    assert_eq!(
        read_npy_any(&buf[..]).unwrap(),
        NpyArray::Complex64(b.clone())
    );
    // header says <c8 and the data is 8 bytes per element
    assert!(String::from_utf8_lossy(&buf[..128]).contains("'descr': '<c8'"));
    assert_eq!(buf.len() % 64, (12 * 8) % 64);
    // special values survive bit for bit
    let sp = Array::from_vec(vec![
        c64::new(f64::NAN, -0.0),
        c64::new(f64::NEG_INFINITY, 5e-324),
    ]);
    let mut buf = Vec::new();
    write_npy(&mut buf, &sp).unwrap();
    let back = read_npy::<c64>(&buf[..]).unwrap().to_vec();
    assert!(back[0].re.is_nan() && back[0].im.to_bits() == (-0.0f64).to_bits());
    assert_eq!(back[1], sp[[1]]);
    // .npz with complex members, typed and dynamic
    let mut z = Vec::new();
    write_npz(&mut z, &[("a", &a as &dyn NpySave), ("b", &b)]).unwrap();
    let npz = read_npz(&z).unwrap();
    assert_eq!(npz.array::<c64>("a").unwrap(), a);
    assert_eq!(npz.get("b").unwrap().dtype(), NpyDtype::Complex64);
    // truncated complex data is an error
    let mut buf = Vec::new();
    write_npy(&mut buf, &a).unwrap();
    for cut in [buf.len() - 1, buf.len() - 8, buf.len() - 16] {
        assert!(read_npy::<c64>(&buf[..cut]).is_err());
    }
}

#[test]
fn numpy_npz_stored_and_deflated() {
    for name in ["savez.npz", "savez_compressed.npz"] {
        let z = load_npz(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            z.names().collect::<Vec<_>>(),
            ["x", "mask", "n", "s"],
            "{name}"
        );
        assert_eq!(z.array::<f64>("x").unwrap(), values::<f64>(&[2, 3]));
        assert_eq!(z.array::<bool>("mask").unwrap(), values::<bool>(&[4]));
        let n = z.array::<i64>("n").unwrap();
        assert_eq!(n, values::<i64>(&[3, 2]));
        assert!(n.is_f_contiguous());
        assert_eq!(z.array::<f32>("s").unwrap().item(), Some(-1.5));
        assert!(z.array::<f64>("nope").is_err());
        assert!(z.array::<f32>("x").is_err());
    }
    let z = load_npz(fixture("savez_positional.npz")).unwrap();
    assert_eq!(z.names().collect::<Vec<_>>(), ["arr_0", "arr_1"]);
    assert_eq!(z.array::<i32>("arr_0").unwrap(), values::<i32>(&[3]));
    assert_eq!(z.array::<f32>("arr_1").unwrap(), values::<f32>(&[2, 2]));
}

fn out_dir() -> PathBuf {
    let d = match std::env::var_os("LAPIS_NPY_OUT") {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join(format!("lapis-npy-test-{}", std::process::id())),
    };
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes what make_npy.py --check expects, then reads it back with Lapis.
#[test]
fn lapis_writes_what_numpy_and_lapis_read() {
    let d = out_dir();
    let f8 = values::<f64>(&[2, 3]);
    save_npy(d.join("w_f8.npy"), &f8).unwrap();
    save_npy(d.join("w_f4.npy"), &values::<f32>(&[3])).unwrap();
    save_npy(d.join("w_i4.npy"), &values::<i32>(&[2, 2])).unwrap();
    save_npy(d.join("w_i8.npy"), &values::<i64>(&[4])).unwrap();
    save_npy(d.join("w_u8.npy"), &values::<usize>(&[2])).unwrap();
    save_npy(d.join("w_b1.npy"), &values::<bool>(&[5])).unwrap();
    save_npy(d.join("w_f8_0d.npy"), &values::<f64>(&[])).unwrap();
    save_npy(d.join("w_f8_empty.npy"), &values::<f64>(&[0, 3])).unwrap();
    let cube = values::<f64>(&[2, 3, 4]);
    let t = cube.permute_axes(&[2, 1, 0]).unwrap(); // Fortran-contiguous: written as F
    save_npy(d.join("w_f8_3d_t.npy"), &t).unwrap();
    let m = values::<f64>(&[4, 6]);
    let strided = m.slice(s![..;2, ..;-3]);
    save_npy(d.join("w_f8_strided.npy"), &strided).unwrap();
    save_npy(d.join("w_c16.npy"), &values::<c64>(&[2, 3])).unwrap();
    save_npy(d.join("w_c8.npy"), &values::<c32>(&[3])).unwrap();
    let c16 = values::<c64>(&[3, 4]);
    save_npy(d.join("w_c16_t.npy"), &c16.t()).unwrap();
    assert_eq!(load_npy::<c64>(d.join("w_c16_t.npy")).unwrap(), c16.t());
    let n = values::<i64>(&[3, 2]);
    let mask = values::<bool>(&[4]);
    save_npz(
        d.join("w.npz"),
        &[("x", &f8 as &dyn NpySave), ("mask", &mask), ("n", &n)],
    )
    .unwrap();

    assert_eq!(load_npy::<f64>(d.join("w_f8.npy")).unwrap(), f8);
    assert_eq!(load_npy::<f64>(d.join("w_f8_3d_t.npy")).unwrap(), t);
    assert_eq!(
        load_npy::<f64>(d.join("w_f8_strided.npy")).unwrap(),
        strided
    );
    assert_eq!(
        load_npy::<f64>(d.join("w_f8_0d.npy")).unwrap().item(),
        Some(-1.5)
    );
    assert_eq!(
        load_npy::<usize>(d.join("w_u8.npy")).unwrap(),
        values::<usize>(&[2])
    );
    let z = load_npz(d.join("w.npz")).unwrap();
    assert_eq!(z.array::<f64>("x").unwrap(), f8);
    assert_eq!(z.array::<bool>("mask").unwrap(), mask);
    assert_eq!(z.array::<i64>("n").unwrap(), n);
    if std::env::var_os("LAPIS_NPY_OUT").is_none() {
        std::fs::remove_dir_all(&d).ok();
    }
}

#[test]
fn stream_holds_several_arrays() {
    let mut buf = Vec::new();
    write_npy(&mut buf, &values::<f64>(&[2, 2])).unwrap();
    write_npy(&mut buf, &values::<i32>(&[3])).unwrap();
    let mut r = &buf[..];
    assert_eq!(read_npy::<f64>(&mut r).unwrap(), values::<f64>(&[2, 2]));
    assert_eq!(read_npy::<i32>(&mut r).unwrap(), values::<i32>(&[3]));
    assert!(r.is_empty());
}

#[test]
fn duplicate_npz_names_are_refused() {
    let a = values::<f64>(&[2]);
    let mut buf = Vec::new();
    assert!(write_npz(&mut buf, &[("a", &a as &dyn NpySave), ("a", &a)]).is_err());
}

/// Every truncation and every single-bit flip of valid files: `Err` or a value, no panic.
#[test]
fn truncations_and_bit_flips_never_panic() {
    let mut npy = Vec::new();
    write_npy(&mut npy, &values::<f64>(&[3, 2])).unwrap();
    let big = std::fs::read(fixture("i8_big_fortran_3d.npy")).unwrap();
    for file in [&npy, &big] {
        for cut in 0..file.len() {
            assert!(read_npy_any(&file[..cut]).is_err(), "truncated at {cut}");
        }
        for bit in 0..file.len() * 8 {
            let mut f = file.clone();
            f[bit / 8] ^= 1 << (bit % 8);
            let _ = read_npy_any(&f[..]);
        }
    }
    for name in ["savez.npz", "savez_compressed.npz"] {
        let z = std::fs::read(fixture(name)).unwrap();
        for cut in 0..z.len() {
            assert!(read_npz(&z[..cut]).is_err(), "{name} truncated at {cut}");
        }
        for bit in 0..z.len() * 8 {
            let mut f = z.clone();
            f[bit / 8] ^= 1 << (bit % 8);
            let _ = read_npz(&f);
        }
    }
}

#[test]
fn lying_headers_do_not_allocate() {
    // A valid header claiming a huge shape, followed by 8 bytes of data.
    for shape in [
        "(1000000000000,)",
        "(4611686018427387904, 4)",
        "(0, 9223372036854775807, 3)",
    ] {
        let dict = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
        let mut f = b"\x93NUMPY\x01\x00".to_vec();
        f.extend_from_slice(&(dict.len() as u16 + 1).to_le_bytes());
        f.extend_from_slice(dict.as_bytes());
        f.push(b'\n');
        f.extend_from_slice(&[0u8; 8]);
        let e = read_npy_any(&f[..]).unwrap_err();
        assert!(
            matches!(e, LinalgError::Format { .. } | LinalgError::SizeOverflow),
            "{shape}: {e}"
        );
    }
    // A version-2 header length of 4 GiB.
    let f = b"\x93NUMPY\x02\x00\xff\xff\xff\xff{".to_vec();
    assert!(read_npy_any(&f[..]).is_err());
    // Bad headers
    for h in [
        "{'descr': '<f8', 'fortran_order': False}",
        "{'descr': '<f8', 'fortran_order': 1, 'shape': (2,), }",
        "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } trailing",
        "['descr']",
    ] {
        let mut f = b"\x93NUMPY\x01\x00".to_vec();
        f.extend_from_slice(&(h.len() as u16).to_le_bytes());
        f.extend_from_slice(h.as_bytes());
        f.extend_from_slice(&[0u8; 16]);
        assert!(read_npy_any(&f[..]).is_err(), "{h}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_are_errors_not_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = read_npy_any(&bytes[..]);
        let _ = read_npz(&bytes);
        // With a valid prefix, the parser goes deeper.
        let mut f = b"\x93NUMPY\x01\x00".to_vec();
        f.extend_from_slice(&bytes);
        let _ = read_npy_any(&f[..]);
        let mut z = bytes.clone();
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&[0u8; 18]);
        let _ = read_npz(&z);
    }

    #[test]
    fn round_trip_any_shape(shape in proptest::collection::vec(0usize..4, 0..4), fortran in any::<bool>()) {
        let a = values::<f64>(&shape);
        let a = if fortran { a.t().to_owned().reversed_axes() } else { a };
        let mut buf = Vec::new();
        write_npy(&mut buf, &a).unwrap();
        prop_assert_eq!(buf.len() % 64, (shape.iter().product::<usize>() * 8) % 64);
        prop_assert_eq!(read_npy::<f64>(&buf[..]).unwrap(), a.clone());
        let mut z = Vec::new();
        write_npz(&mut z, &[("a", &a as &dyn NpySave)]).unwrap();
        prop_assert_eq!(read_npz(&z).unwrap().array::<f64>("a").unwrap(), a);
    }
}
