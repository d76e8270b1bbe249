//! numpy's product rules: shapes, 1-D promotion, dot vs matmul on stacks, and the errors.

use lapis::{Array, LinalgError};
use lapis::{
    array, cross, dot, inner, kron, matmul, matrix_power, multi_dot, outer, s, tensordot, trace,
    vdot,
};

fn arange(n: usize) -> Array<f64> {
    Array::arange(0., n as f64, 1.)
}

/// Naive matmul of two 2-D arrays, the reference.
fn naive(a: &Array<f64>, b: &Array<f64>) -> Array<f64> {
    let (n, k, m) = (a.shape()[0], a.shape()[1], b.shape()[1]);
    Array::from_shape_fn(&[n, m], |ix| {
        (0..k).map(|p| a[[ix[0], p]] * b[[p, ix[1]]]).sum()
    })
}

#[test]
fn matmul_promotion_rules() {
    let a = arange(6).into_shape(&[2, 3]).unwrap();
    let v = array![1., 2., 3.];
    // (2,3) @ (3,) -> (2,)
    assert_eq!(matmul(&a, &v).unwrap(), array![8., 26.]);
    // (2,) @ (2,3) -> (3,)
    assert_eq!(matmul(&array![1., 1.], &a).unwrap(), array![3., 5., 7.]);
    // (3,) @ (3,) -> ()
    let s = matmul(&v, &v).unwrap();
    assert_eq!((s.ndim(), s.item()), (0, Some(14.0)));
    // (4,2,3) @ (3,) -> (4,2);  (3,) @ (4,3,2) -> (4,2)
    assert_eq!(
        matmul(&Array::<f64>::ones(&[4, 2, 3]), &v).unwrap().shape(),
        &[4, 2]
    );
    assert_eq!(
        matmul(&v, &Array::<f64>::ones(&[4, 3, 2])).unwrap().shape(),
        &[4, 2]
    );
    // batch broadcasting: (2,1,3,4) @ (5,4,2) -> (2,5,3,2); 0-sized batch (0,3,4)@(4,2) -> (0,3,2)
    assert_eq!(
        matmul(
            &Array::<f64>::ones(&[2, 1, 3, 4]),
            &Array::<f64>::ones(&[5, 4, 2])
        )
        .unwrap()
        .shape(),
        &[2, 5, 3, 2]
    );
    assert_eq!(
        matmul(
            &Array::<f64>::ones(&[0, 3, 4]),
            &Array::<f64>::ones(&[4, 2])
        )
        .unwrap()
        .shape(),
        &[0, 3, 2]
    );
    // k = 0: (2,0) @ (0,3) -> zeros (2,3)
    assert_eq!(
        matmul(&Array::<f64>::ones(&[2, 0]), &Array::<f64>::ones(&[0, 3])).unwrap(),
        Array::zeros(&[2, 3])
    );
}

#[test]
fn matmul_errors_name_both_shapes() {
    let e = matmul(&Array::<f64>::ones(&[2, 3]), &Array::<f64>::ones(&[4, 5])).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("Input operand 1 has a mismatch in its core dimension 0"),
        "{msg}"
    );
    assert!(msg.contains("(size 4 is different from 3)"), "{msg}");
    assert!(msg.contains("(2, 3)") && msg.contains("(4, 5)"), "{msg}");
    let e = matmul(
        &Array::<f64>::ones(&[2, 2, 3]),
        &Array::<f64>::ones(&[3, 3, 4]),
    )
    .unwrap_err();
    assert!(matches!(e, LinalgError::Shape { op: "matmul", .. }));
    assert!(e.to_string().contains("(2, 2, 3)") && e.to_string().contains("(3, 3, 4)"));
    let e = matmul(&Array::from_elem_0d(1.0), &array![1.]).unwrap_err();
    assert!(e.to_string().contains("does not have enough dimensions"));
    let e = matmul(&array![1., 2.], &array![1., 2., 3.]).unwrap_err();
    assert!(e.to_string().contains("(2,)") && e.to_string().contains("(3,)"));
}

#[test]
fn matmul_on_strided_views_matches_reference() {
    let a = Array::from_shape_fn(&[7, 9], |ix| (ix[0] * 9 + ix[1]) as f64 * 0.5 - 3.0);
    let b = Array::from_shape_fn(&[9, 5], |ix| ((ix[0] + 2 * ix[1]) % 7) as f64 - 2.0);
    let expected = naive(&a, &b);
    assert_eq!(matmul(&a, &b).unwrap(), expected);
    // reversed rows/cols and transposes are read in place
    let ar = a.slice(s![..;-1, ..]);
    assert_eq!(matmul(&ar, &b).unwrap(), naive(&ar.to_owned(), &b));
    let bt = b.t().to_owned();
    assert_eq!(matmul(&a, &bt.t()).unwrap(), expected);
    let bs = b.slice(s![..;-1, ..;2]);
    assert_eq!(
        matmul(&a.slice(s![.., ..;-1]), &bs).unwrap(),
        naive(&a.slice(s![.., ..;-1]).to_owned(), &bs.to_owned())
    );
    // a larger product crosses the blocked path
    let big_a = Array::from_shape_fn(&[70, 65], |ix| ((ix[0] * 7 + ix[1] * 3) % 11) as f64);
    let big_b = Array::from_shape_fn(&[65, 40], |ix| ((ix[0] + ix[1] * 5) % 13) as f64);
    assert_eq!(matmul(&big_a, &big_b).unwrap(), naive(&big_a, &big_b));
}

#[test]
fn batched_matmul_matches_per_matrix() {
    let count = 1000;
    let a = Array::from_shape_fn(&[count, 4, 4], |ix| {
        ((ix[0] + ix[1] * 3 + ix[2]) % 5) as f64
    });
    let b = Array::from_shape_fn(&[count, 4, 4], |ix| {
        ((ix[0] * 2 + ix[1] + ix[2] * 7) % 3) as f64
    });
    let c = matmul(&a, &b).unwrap();
    for i in [0, 1, 500, 999] {
        let ai = a.index_axis(0, i).to_owned();
        let bi = b.index_axis(0, i).to_owned();
        assert_eq!(c.index_axis(0, i), naive(&ai, &bi));
    }
    // broadcast one matrix against the stack, through a transposed view
    let m = Array::from_shape_fn(&[4, 4], |ix| (ix[0] * 4 + ix[1]) as f64);
    let c2 = matmul(&a, &m.t()).unwrap();
    assert_eq!(
        c2.index_axis(0, 7),
        naive(&a.index_axis(0, 7).to_owned(), &m.t().to_owned())
    );
}

#[test]
fn dot_vs_matmul_on_3d() {
    // (N,M,K)·(N,K,P) -> dot (N,M,N,P), matmul (N,M,P)
    let a = Array::from_shape_fn(&[2, 3, 4], |ix| (ix[0] * 12 + ix[1] * 4 + ix[2]) as f64);
    let b = Array::from_shape_fn(&[2, 4, 5], |ix| (ix[0] + ix[1] * 2 + ix[2] * 3) as f64);
    let d = dot(&a, &b).unwrap();
    assert_eq!(d.shape(), &[2, 3, 2, 5]);
    let m = matmul(&a, &b).unwrap();
    assert_eq!(m.shape(), &[2, 3, 5]);
    // dot(a, b)[i, j, k, l] == sum(a[i, j, :] * b[k, :, l])
    for (i, j, k, l) in [(0, 0, 1, 4), (1, 2, 0, 3), (1, 1, 1, 1)] {
        let expect: f64 = (0..4).map(|p| a[[i, j, p]] * b[[k, p, l]]).sum();
        assert_eq!(d[[i, j, k, l]], expect);
    }
    // the diagonal blocks of dot are matmul
    assert_eq!(d.slice(s![1, .., 1, ..]), m.index_axis(0, 1));
    // N-D · 1-D: (2,3,4)·(4,) -> (2,3);  1-D · N-D: (3,)·(2,3,5) -> (2,5)
    assert_eq!(dot(&a, &array![1., 1., 1., 1.]).unwrap().shape(), &[2, 3]);
    assert_eq!(
        dot(&array![1., 1., 1.], &Array::<f64>::ones(&[2, 3, 5]))
            .unwrap()
            .shape(),
        &[2, 5]
    );
    // scalars multiply
    assert_eq!(
        dot(&Array::from_elem_0d(2.0), &array![1., 2.]).unwrap(),
        array![2., 4.]
    );
    // errors are numpy's "not aligned" with both shapes
    let e = dot(&a, &Array::<f64>::ones(&[3, 5])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dot: shapes (2, 3, 4) and (3, 5) not aligned: 4 (dim 2) != 3 (dim 0) (shapes (2, 3, 4) and (3, 5))"
    );
}

#[test]
fn inner_outer_vdot_tensordot() {
    let a = array![[1., 2.], [3., 4.]];
    let b = array![[0., 1.], [1., 0.]];
    // inner(a, b) = a @ b.T
    assert_eq!(inner(&a, &b).unwrap(), matmul(&a, &b.t()).unwrap());
    // np.inner(np.ones((2,3,4)), np.ones((5,4))).shape == (2,3,5)
    assert_eq!(
        inner(
            &Array::<f64>::ones(&[2, 3, 4]),
            &Array::<f64>::ones(&[5, 4])
        )
        .unwrap()
        .shape(),
        &[2, 3, 5]
    );
    assert!(inner(&a, &Array::<f64>::ones(&[3])).is_err());
    // outer flattens
    assert_eq!(outer(&a, &array![1., 10.]).unwrap().shape(), &[4, 2]);
    // vdot flattens and needs equal sizes
    assert_eq!(vdot(&a, &b).unwrap(), 5.0);
    assert_eq!(vdot(&a.t(), &array![1., 0., 0., 0.]).unwrap(), 1.0);
    // tensordot axes=2 on (3,4,5)·(4,5,2) -> (3,2); axes=1 == dot for 2-D
    let x = Array::from_shape_fn(&[3, 4, 5], |ix| (ix[0] + ix[1] * ix[2]) as f64);
    let y = Array::from_shape_fn(&[4, 5, 2], |ix| (ix[0] * 2 + ix[1] + ix[2]) as f64);
    let t = tensordot(&x, &y, 2).unwrap();
    assert_eq!(t.shape(), &[3, 2]);
    let expect: f64 = (0..4)
        .flat_map(|j| (0..5).map(move |k| (j, k)))
        .map(|(j, k)| x[[2, j, k]] * y[[j, k, 1]])
        .sum();
    assert_eq!(t[[2, 1]], expect);
    assert_eq!(tensordot(&a, &b, 1).unwrap(), matmul(&a, &b).unwrap());
    assert_eq!(tensordot(&a, &b, (-1, 0)).unwrap(), matmul(&a, &b).unwrap());
    assert!(tensordot(&x, &y, ([0], [0])).is_err());
    assert!(tensordot(&x, &y, 4).is_err());
}

#[test]
fn cross_trace_kron() {
    // cross of stacked 3-vectors with broadcasting: (2,3) x (3,) -> (2,3)
    let x = array![[1., 0., 0.], [0., 1., 0.]];
    let z = array![0., 0., 1.];
    assert_eq!(cross(&x, &z).unwrap(), array![[0., -1., 0.], [1., 0., 0.]]);
    // 2-vector with 3-vector: z = 0 for the 2-vector: np.cross([1, 2], [4, 5, 6]) == [12, -6, -3]
    assert_eq!(
        cross(&array![1., 2.], &array![4., 5., 6.]).unwrap(),
        array![12., -6., -3.]
    );
    assert_eq!(
        cross(&array![4., 5., 6.], &array![1., 2.]).unwrap(),
        array![-12., 6., 3.]
    );
    assert!(cross(&array![1., 2., 3., 4.], &z).is_err());
    // trace of a stack: np.trace(np.arange(8).reshape(2,2,2)) == [6, 8]
    let t = trace(&arange(8).into_shape(&[2, 2, 2]).unwrap(), 0).unwrap();
    assert_eq!(t, array![6., 8.]);
    assert_eq!(trace(&Array::<f64>::eye(3), -1).unwrap().item(), Some(0.0));
    assert!(trace(&array![1., 2.], 0).is_err());
    // kron with rank promotion: np.kron([1, 10], [[1, 2], [3, 4]]).shape == (2, 4)
    let k = kron(&array![1., 10.], &array![[1., 2.], [3., 4.]]).unwrap();
    assert_eq!(k, array![[1., 2., 10., 20.], [3., 4., 30., 40.]]);
    assert_eq!(
        kron(&Array::<f64>::eye(2), &Array::<f64>::ones(&[2, 2]))
            .unwrap()
            .shape(),
        &[4, 4]
    );
}

#[test]
fn matrix_power_and_multi_dot() {
    let a = array![[2., 0.], [1., 1.]];
    assert_eq!(matrix_power(&a, 0).unwrap(), Array::<f64>::eye(2));
    assert_eq!(matrix_power(&a, 1).unwrap(), a);
    assert_eq!(
        matrix_power(&a, 3).unwrap(),
        matmul(&a, &matmul(&a, &a).unwrap()).unwrap()
    );
    // stacks
    let st = lapis::stack(&[a.view(), Array::<f64>::eye(2).view()], 0).unwrap();
    let p = matrix_power(&st, 2).unwrap();
    assert_eq!(p.index_axis(0, 1), Array::<f64>::eye(2));
    assert!(matches!(
        matrix_power(&Array::<f64>::ones(&[2, 3]), 2),
        Err(LinalgError::NotSquare { .. })
    ));
    // negative powers go through linalg::inv
    let neg = matrix_power(&a, -1).unwrap();
    assert!(lapis::allclose(&matmul(&a, &neg).unwrap(), &Array::<f64>::eye(2)).unwrap());
    // multi_dot with 1-D ends
    let m1 = Array::from_shape_fn(&[3, 4], |ix| (ix[0] + ix[1]) as f64);
    let m2 = Array::from_shape_fn(&[4, 2], |ix| (ix[0] * ix[1]) as f64);
    let v = array![1., 2., 3.];
    let w = array![1., -1.];
    let r = multi_dot(&[v.view(), m1.view(), m2.view(), w.view()]).unwrap();
    let expect = dot(&dot(&dot(&v, &m1).unwrap(), &m2).unwrap(), &w).unwrap();
    assert_eq!(r.shape(), &[] as &[usize]);
    assert_eq!(r, expect);
    assert_eq!(
        multi_dot(&[m1.view(), m2.view()]).unwrap(),
        matmul(&m1, &m2).unwrap()
    );
    let e = multi_dot(&[m1.view(), m1.view()]).unwrap_err();
    assert!(e.to_string().contains("(3, 4)"));
    assert!(multi_dot(&[m1.view()]).is_err());
}

#[test]
fn f32_products() {
    let a = Array::<f32>::ones(&[3, 2]);
    let b = Array::<f32>::ones(&[2, 4]);
    assert_eq!(matmul(&a, &b).unwrap(), Array::full(&[3, 4], 2f32));
}

#[test]
fn batched_100k_small_matrices() {
    // numpy: np.matmul(A, B) with A, B of shape (100000, 4, 4)
    let count = 100_000;
    let a = Array::from_shape_fn(&[count, 4, 4], |ix| {
        ((ix[0] + ix[1] + 2 * ix[2]) % 7) as f64
    });
    let b = Array::from_shape_fn(&[count, 4, 4], |ix| {
        ((3 * ix[0] + ix[1] * ix[2]) % 5) as f64
    });
    let t = std::time::Instant::now();
    let c = matmul(&a, &b).unwrap();
    eprintln!("100000 x 4x4 matmul: {:?}", t.elapsed());
    assert_eq!(c.shape(), &[count, 4, 4]);
    let i = 77_777;
    assert_eq!(
        c.index_axis(0, i),
        naive(
            &a.index_axis(0, i).to_owned(),
            &b.index_axis(0, i).to_owned()
        )
    );
}
