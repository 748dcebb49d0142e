package io.backprop.runner.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProductsTest {
    private static double[] random(int n, SplittableRandom r) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(5) == 0 ? 0 : r.nextGaussian();
        return x;
    }

    @Test
    void splitProductsAreBitIdenticalToOneThread() {
        var r = new SplittableRandom(1);
        try (var three = new Workers(3); var two = new Workers(2)) {
            for (int[] shape : new int[][] {{33, 97, 41}, {64, 130, 17}, {7, 300, 90}, {2, 2, 2}}) {
                int m = shape[0], k = shape[1], n = shape[2];
                double[] a = random(m * k, r);
                double[] at = random(k * m, r);
                double[] b = random(k * n, r);
                double[] bt = random(n * k, r);
                for (Workers w : new Workers[] {two, three}) {
                    var products = new Products(w);
                    double[] expected = new double[m * n];
                    double[] actual = new double[m * n];
                    Dense.multTransB(a, bt, expected, m, k, n);
                    products.multTransB(a, bt, actual, m, k, n);
                    assertArrayEquals(expected, actual);
                    Dense.mult(a, b, expected, m, k, n);
                    products.mult(a, b, actual, m, k, n);
                    assertArrayEquals(expected, actual);
                    Dense.multTransA(at, b, expected, m, k, n);
                    products.multTransA(at, b, actual, m, k, n);
                    assertArrayEquals(expected, actual);
                }
            }
        }
    }
}
