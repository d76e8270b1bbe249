//! `einsum` against the equivalent computation by other means, with numpy's documented
//! shapes and numpy's errors for malformed subscripts.

use lapis::{Array, ArrayView, LinalgError, allclose, array, einsum, matmul, s, trace};

fn arange(shape: &[usize]) -> Array<f64> {
    let n: usize = shape.iter().product();
    Array::from_shape_vec(shape, (0..n).map(|i| (i as f64) * 0.5 - 3.0).collect()).unwrap()
}

fn ein(sub: &str, ops: &[&Array<f64>]) -> Result<Array<f64>, LinalgError> {
    let views: Vec<ArrayView<'_, f64>> = ops.iter().map(|a| a.view()).collect();
    einsum(sub, &views)
}

fn close(a: &Array<f64>, b: &Array<f64>) {
    assert_eq!(a.shape(), b.shape(), "shapes differ: {a:?} vs {b:?}");
    assert!(allclose(a, b).unwrap(), "{a:?}\n!=\n{b:?}");
}

#[test]
fn matmul_explicit_and_implicit() {
    let a = arange(&[3, 4]);
    let b = arange(&[4, 5]);
    let want = matmul(&a, &b).unwrap();
    close(&ein("ij,jk->ik", &[&a, &b]).unwrap(), &want);
    close(&ein("ij,jk", &[&a, &b]).unwrap(), &want);
    close(&ein(" i j , j k -> i k ", &[&a, &b]).unwrap(), &want);
    // numpy: np.einsum("ij,jk->ki", a, b) == (a @ b).T
    close(&ein("ij,jk->ki", &[&a, &b]).unwrap(), &want.t().to_owned());
    // implicit order is alphabetical: "ji,kj" -> "ik"? no: labels once are i, k -> "ik"
    close(
        &ein("ji,kj", &[&a.t().to_owned(), &b.t().to_owned()]).unwrap(),
        &want,
    );
    // implicit mode puts uppercase before lowercase (ASCII)
    let c = ein("aB,BC", &[&a, &b]).unwrap(); // -> "Ca"
    close(&c, &want.t().to_owned());
}

#[test]
fn strided_and_transposed_views() {
    let big = arange(&[6, 8]);
    let a = big.slice(s![..;2, 1..5]); // (3, 4), strided
    let b = big.slice(s![2..6, ..;-2]).to_owned(); // (4, 4), reversed columns
    let want = matmul(&a, &b).unwrap();
    let got = einsum("ij,jk->ik", &[a.view(), b.view()]).unwrap();
    close(&got, &want);
    let at = a.t();
    let got_t = einsum("ji,jk->ik", &[at, b.view()]).unwrap();
    close(&got_t, &want);
}

#[test]
fn batched_matmul() {
    let a = arange(&[3, 2, 4]);
    let b = arange(&[3, 4, 5]);
    let want = matmul(&a, &b).unwrap();
    close(&ein("bij,bjk->bik", &[&a, &b]).unwrap(), &want);
    close(&ein("...ij,...jk->...ik", &[&a, &b]).unwrap(), &want);
    // implicit with ellipsis: "...ij,...jk" -> "...ik"
    close(&ein("...ij,...jk", &[&a, &b]).unwrap(), &want);
    // batch label placed last in the output
    let got = ein("bij,bjk->ikb", &[&a, &b]).unwrap();
    close(&got, &want.permute_axes(&[1, 2, 0]).unwrap().to_owned());
}

#[test]
fn ellipsis_broadcasts() {
    // numpy: np.einsum("...ij,...jk->...ik", np.ones((2,1,3,4)), np.ones((5,4,2))).shape
    //        -> (2, 5, 3, 2)
    let a = arange(&[2, 1, 3, 4]);
    let b = arange(&[5, 4, 2]);
    let got = ein("...ij,...jk->...ik", &[&a, &b]).unwrap();
    assert_eq!(got.shape(), &[2, 5, 3, 2]);
    close(&got, &matmul(&a, &b).unwrap());
    // ellipsis in the middle and a 1-D operand against a stack
    let v = arange(&[4]);
    let got = ein("i...j,j->i...", &[&arange(&[3, 2, 4]), &v]).unwrap();
    assert_eq!(got.shape(), &[3, 2]);
    close(&got, &matmul(&arange(&[3, 2, 4]), &v).unwrap());
    // "...ii->...i": batched diagonals
    let m = arange(&[2, 3, 3]);
    let d = ein("...ii->...i", &[&m]).unwrap();
    assert_eq!(d, array![[-3.0, -1.0, 1.0], [1.5, 3.5, 5.5]]);
    // elementwise with broadcasting over the ellipsis
    let x = arange(&[1, 3]);
    let y = arange(&[4, 3]);
    close(&ein("...,...->...", &[&x, &y]).unwrap(), &(&x * &y));
    // numpy broadcasts length-1 letter axes too:
    // np.einsum("ij,jk", np.ones((2, 1)), np.ones((3, 4))) -> 3 everywhere, shape (2, 4)
    let got = ein("ij,jk", &[&Array::ones(&[2, 1]), &Array::ones(&[3, 4])]).unwrap();
    assert_eq!(got, Array::full(&[2, 4], 3.0));
    // incompatible ellipsis dimensions
    let err = ein("...i,...i->...i", &[&arange(&[2, 3]), &arange(&[4, 3])]).unwrap_err();
    assert!(
        matches!(err, LinalgError::Shape { op: "einsum", .. }),
        "{err}"
    );
}

#[test]
fn transposes_and_permutations() {
    let a = arange(&[2, 3]);
    assert_eq!(ein("ij->ji", &[&a]).unwrap(), a.t());
    assert_eq!(ein("ji", &[&a]).unwrap(), a.t()); // implicit: sorted -> "ij" of labels j,i
    assert_eq!(ein("ij", &[&a]).unwrap(), a);
    let c = arange(&[2, 3, 4]);
    let p = ein("ijk->kij", &[&c]).unwrap();
    assert_eq!(p, c.permute_axes(&[2, 0, 1]).unwrap());
    assert!(p.is_c_contiguous());
}

#[test]
fn traces_and_diagonals() {
    let a = arange(&[4, 4]);
    let tr = trace(&a, 0).unwrap().item().unwrap();
    assert_eq!(ein("ii->", &[&a]).unwrap().item(), Some(tr));
    let t = ein("ii", &[&a]).unwrap();
    assert_eq!((t.ndim(), t.item()), (0, Some(tr)));
    assert_eq!(ein("ii->i", &[&a]).unwrap(), a.diagonal(0).unwrap());
    // trace over a stack: numpy: np.einsum("bii->b", x)
    let x = arange(&[3, 2, 2]);
    let want: Vec<f64> = (0..3).map(|b| x[[b, 0, 0]] + x[[b, 1, 1]]).collect();
    assert_eq!(ein("bii->b", &[&x]).unwrap().to_vec(), want);
    // "iii->i" on a cube
    let cube = arange(&[3, 3, 3]);
    let want: Vec<f64> = (0..3).map(|i| cube[[i, i, i]]).collect();
    assert_eq!(ein("iii->i", &[&cube]).unwrap().to_vec(), want);
    // trace of a product: np.einsum("ij,ji->", a, b)
    let b = arange(&[4, 4]).t().to_owned();
    let ab = matmul(&a, &b).unwrap();
    let got = ein("ij,ji->", &[&a, &b]).unwrap().item().unwrap();
    let want = trace(&ab, 0).unwrap().item().unwrap();
    assert!((got - want).abs() < 1e-9);
    // mismatched repeated dimensions
    let err = ein("ii", &[&arange(&[2, 3])]).unwrap_err();
    assert!(err.to_string().contains("collapsing index 'i'"), "{err}");
}

#[test]
fn sums_over_axes() {
    let a = arange(&[3, 4]);
    assert_eq!(ein("ij->i", &[&a]).unwrap(), a.sum_axis(1, false).unwrap());
    assert_eq!(ein("ij->j", &[&a]).unwrap(), a.sum_axis(0, false).unwrap());
    assert_eq!(ein("ij->", &[&a]).unwrap().item(), Some(a.sum()));
    let c = arange(&[2, 3, 4]);
    let want = c.sum_axis(1, false).unwrap().t().to_owned();
    assert_eq!(ein("ijk->ki", &[&c]).unwrap(), want);
}

#[test]
fn outer_inner_and_vectors() {
    let u = array![1., 2., 3.];
    let v = array![4., 5.];
    let o = ein("i,j->ij", &[&u, &v]).unwrap();
    assert_eq!(o, array![[4., 5.], [8., 10.], [12., 15.]]);
    assert_eq!(ein("i,j", &[&u, &v]).unwrap(), o);
    assert_eq!(ein("i,i->", &[&u, &u]).unwrap().item(), Some(14.0));
    assert_eq!(ein("i,i", &[&u, &u]).unwrap().item(), Some(14.0));
    // elementwise: numpy: np.einsum("i,i->i", u, u)
    assert_eq!(ein("i,i->i", &[&u, &u]).unwrap(), array![1., 4., 9.]);
    // matrix-vector both ways
    let a = arange(&[2, 3]);
    close(
        &ein("ij,j->i", &[&a, &u]).unwrap(),
        &matmul(&a, &u).unwrap(),
    );
    close(
        &ein("i,ij->j", &[&array![1., -1.], &a]).unwrap(),
        &matmul(&array![1., -1.], &a).unwrap(),
    );
    // a 0-d operand: numpy: np.einsum(",ij->ij", 2., a)
    let two = Array::from_elem_0d(2.0);
    assert_eq!(ein(",ij->ij", &[&two, &a]).unwrap(), &a * 2.0);
}

#[test]
fn three_operands_left_to_right() {
    let a = arange(&[2, 3]);
    let b = arange(&[3, 4]);
    let c = arange(&[4, 5]);
    let want = matmul(&matmul(&a, &b).unwrap(), &c).unwrap();
    close(&ein("ij,jk,kl->il", &[&a, &b, &c]).unwrap(), &want);
    close(&ein("ij,jk,kl", &[&a, &b, &c]).unwrap(), &want);
    // a label shared by the first and last operands only: np.einsum("ij,jk,ki->", a, b, d)
    let d = arange(&[4, 2]);
    let abd = matmul(&matmul(&a, &b).unwrap(), &d).unwrap();
    let got = ein("ij,jk,ki->", &[&a, &b, &d]).unwrap().item().unwrap();
    assert!((got - trace(&abd, 0).unwrap().item().unwrap()).abs() < 1e-9);
    // bilinear form u^T A v
    let u = array![1., 2.];
    let v = array![1., 0., -1.];
    let want = matmul(&u, &matmul(&a, &v).unwrap())
        .unwrap()
        .item()
        .unwrap();
    assert_eq!(ein("i,ij,j->", &[&u, &a, &v]).unwrap().item(), Some(want));
}

#[test]
fn big_enough_to_run_on_gemm_in_parallel() {
    let a = arange(&[64, 96]);
    let b = arange(&[96, 80]);
    let want = matmul(&a, &b).unwrap();
    close(&ein("ij,jk->ik", &[&a, &b]).unwrap(), &want);
    let x = arange(&[8, 32, 16]);
    let y = arange(&[8, 16, 24]);
    close(
        &ein("bij,bjk->bik", &[&x, &y]).unwrap(),
        &matmul(&x, &y).unwrap(),
    );
}

#[test]
fn zero_sized_axes() {
    let a = Array::<f64>::zeros(&[3, 0]);
    let b = Array::<f64>::zeros(&[0, 2]);
    let c = ein("ij,jk->ik", &[&a, &b]).unwrap();
    assert_eq!(c, Array::<f64>::zeros(&[3, 2]));
    assert_eq!(ein("ij->j", &[&a]).unwrap().shape(), &[0]);
    assert_eq!(ein("ij->", &[&a]).unwrap().item(), Some(0.0));
}

#[test]
fn f32_works() {
    let a = array![[1f32, 2.], [3., 4.]];
    let c = einsum("ij,jk->ik", &[a.view(), a.view()]).unwrap();
    assert_eq!(c, array![[7f32, 10.], [15., 22.]]);
}

fn err(sub: &str, ops: &[&Array<f64>]) -> String {
    let e = ein(sub, ops).unwrap_err();
    assert!(
        matches!(e, LinalgError::InvalidArgument { op: "einsum", .. }),
        "{sub}: {e:?}"
    );
    e.to_string()
}

#[test]
fn malformed_subscripts_name_the_problem() {
    let a = arange(&[2, 3]);
    let b = arange(&[3, 4]);
    assert!(err("ij,jk->ik", &[&a]).contains("fewer operands"));
    assert!(err("ij->ij", &[&a, &b]).contains("more operands"));
    assert!(err("i1,jk", &[&a, &b]).contains("invalid subscript '1'"));
    assert!(err("ij,jk->ik", &[&a, &b, &b]).contains("more operands"));
    assert!(err("ijk", &[&a]).contains("too many subscripts for operand 0"));
    assert!(err("i", &[&a]).contains("no '...'"));
    assert!(err("ij->ix", &[&a]).contains("'x' which never appeared"));
    assert!(err("ij->ii", &[&a]).contains("'i' multiple times"));
    assert!(err("i.j", &[&a]).contains("'.' that is not part of an ellipsis"));
    assert!(err("...i...", &[&a]).contains("more than one ellipsis"));
    assert!(err("ij->i->j", &[&a]).contains("more than one '->'"));
    assert!(err("ij-i", &[&a]).contains("'->'"));
    assert!(err("ij>i", &[&a]).contains("'->'"));
    assert!(err("ij->i,j", &[&a]).contains("','"));
    assert!(err("", &[]).contains("at least one operand"));
    assert!(err("é", &[&a]).contains("invalid subscript 'é'"));
    // numpy: np.einsum("...ij->ij", np.ones((2,3,4))) -> ValueError (output lacks '...')
    assert!(err("...ij->ij", &[&arange(&[2, 3, 4])]).contains("no '...'"));
    // ... covering no dimension is fine
    assert_eq!(ein("...ij->ij", &[&a]).unwrap(), a);
    // size mismatch of a shared label is a Shape error naming the label
    let e = ein("ij,jk->ik", &[&a, &a]).unwrap_err();
    assert!(
        matches!(e, LinalgError::Shape { .. }) && e.to_string().contains("label 'j'"),
        "{e}"
    );
}
