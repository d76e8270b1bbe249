//! `.npy` and `.npz` parsing of arbitrary bytes (`lapis::io::read_npy_any`, `read_npz`).
//!
//! Must never panic, hang or allocate without bound: a malformed header, an absurd shape
//! (size overflow, more data claimed than present), a bad dtype or a corrupt zip/deflate
//! stream is a `LinalgError`. Whatever does parse must write back and read again to the
//! same array (the writer and the reader agree).

#![no_main]

use lapis::io::{NpyArray, read_npy_any, read_npz, write_npy};
use libfuzzer_sys::fuzz_target;

/// `a` written as `.npy` and read back equals `a` (NaN payloads compared bitwise).
fn round_trip(a: &NpyArray) {
    let mut buf = Vec::new();
    let again = match a {
        NpyArray::F64(x) => {
            write_npy(&mut buf, x).expect("writing a parsed array");
            let y = read_npy_any(&buf[..]).expect("reading what was written");
            let NpyArray::F64(y) = &y else {
                panic!("dtype changed")
            };
            x.shape() == y.shape()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| p.to_bits() == q.to_bits())
        }
        NpyArray::F32(x) => {
            write_npy(&mut buf, x).expect("writing a parsed array");
            let y = read_npy_any(&buf[..]).expect("reading what was written");
            let NpyArray::F32(y) = &y else {
                panic!("dtype changed")
            };
            x.shape() == y.shape()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| p.to_bits() == q.to_bits())
        }
        // The integer and boolean dtypes go through the same header and body code.
        _ => true,
    };
    assert!(again, "round trip changed the array");
}

fuzz_target!(|data: &[u8]| {
    // A valid header prefix in front of the fuzzed bytes half of the time, so that the body
    // and shape checks are reached, not only the magic-string check.
    let (first, rest) = data.split_first().unwrap_or((&0, &[]));
    let input: Vec<u8> = if first & 1 == 0 {
        let mut v = b"\x93NUMPY\x01\x00".to_vec();
        v.extend_from_slice(rest);
        v
    } else {
        rest.to_vec()
    };
    if let Ok(a) = read_npy_any(&input[..]) {
        round_trip(&a);
    }
    if let Ok(z) = read_npz(&input) {
        for (_, a) in z.into_entries() {
            round_trip(&a);
        }
    }
});
