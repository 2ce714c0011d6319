package io.distillguard.bench.detection;

import java.util.Arrays;

/**
 * The Shapiro-Wilk W statistic of normality, with Royston's (1992, 1995: algorithm AS R94)
 * approximation of the coefficients and of the p-value; valid for 3 to 5,000 values.
 */
public final class ShapiroWilk {

  private ShapiroWilk() {}

  /** W in (0, 1]: near 1 for a normal sample, lower the less normal it is. */
  public static double w(double[] values) {
    int n = values.length;
    if (n < 3) {
      throw new IllegalArgumentException("Shapiro-Wilk needs at least 3 values, got " + n);
    }
    double[] x = values.clone();
    Arrays.sort(x);
    double mean = Arrays.stream(x).average().orElse(0);
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    if (ss <= 0) {
      return 1.0;
    }
    double[] a = coefficients(n);
    double num = 0;
    for (int i = 0; i < n; i++) {
      num += a[i] * x[i];
    }
    return Math.min(1.0, num * num / ss);
  }

  /** Royston's p-value of W for a sample of size n (n >= 4): small = not normal. */
  public static double pValue(double w, int n) {
    if (n < 4) {
      return 1.0;
    }
    double z;
    if (n <= 11) {
      double gamma = 0.459 * n - 2.273;
      double m = 0.5440 - 0.39978 * n + 0.025054 * n * n - 0.0006714 * n * n * n;
      double s = Math.exp(1.3822 - 0.77857 * n + 0.062767 * n * n - 0.0020322 * n * n * n);
      double arg = gamma - Math.log(1 - w);
      if (arg <= 0) {
        return 0.0;
      }
      z = (-Math.log(arg) - m) / s;
    } else {
      double ln = Math.log(n);
      double m = -1.5861 - 0.31082 * ln - 0.083751 * ln * ln + 0.0038915 * ln * ln * ln;
      double s = Math.exp(-0.4803 - 0.082676 * ln + 0.0030302 * ln * ln);
      z = (Math.log(1 - w) - m) / s;
    }
    return 1 - normalCdf(z);
  }

  static double[] coefficients(int n) {
    double[] m = new double[n];
    double mm = 0;
    for (int i = 0; i < n; i++) {
      m[i] = inverseNormalCdf((i + 1 - 0.375) / (n + 0.25));
      mm += m[i] * m[i];
    }
    double[] a = new double[n];
    double u = 1 / Math.sqrt(n);
    double an =
        m[n - 1] / Math.sqrt(mm)
            + 0.221157 * u
            - 0.147981 * u * u
            - 2.071190 * Math.pow(u, 3)
            + 4.434685 * Math.pow(u, 4)
            - 2.706056 * Math.pow(u, 5);
    if (n == 3) {
      a[0] = -Math.sqrt(0.5);
      a[2] = Math.sqrt(0.5);
      return a;
    }
    if (n <= 5) {
      double phi = (mm - 2 * m[n - 1] * m[n - 1]) / (1 - 2 * an * an);
      for (int i = 1; i < n - 1; i++) {
        a[i] = m[i] / Math.sqrt(phi);
      }
      a[n - 1] = an;
      a[0] = -an;
      return a;
    }
    double an1 =
        m[n - 2] / Math.sqrt(mm)
            + 0.042981 * u
            - 0.293762 * u * u
            - 1.752461 * Math.pow(u, 3)
            + 5.682633 * Math.pow(u, 4)
            - 3.582633 * Math.pow(u, 5);
    double phi =
        (mm - 2 * m[n - 1] * m[n - 1] - 2 * m[n - 2] * m[n - 2])
            / (1 - 2 * an * an - 2 * an1 * an1);
    for (int i = 2; i < n - 2; i++) {
      a[i] = m[i] / Math.sqrt(phi);
    }
    a[n - 1] = an;
    a[n - 2] = an1;
    a[0] = -an;
    a[1] = -an1;
    return a;
  }

  /** Standard normal CDF via the Numerical Recipes erfc approximation (|error| < 1.2e-7). */
  static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.5 * x);
    double erfc =
        t
            * Math.exp(
                -x * x
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    double tail = erfc / 2;
    return z >= 0 ? 1 - tail : tail;
  }

  /** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
  static double inverseNormalCdf(double p) {
    if (p <= 0 || p >= 1) {
      throw new IllegalArgumentException("p must be in (0, 1), was " + p);
    }
    double[] a = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01,
      1.615858368580409e+02,
      -1.556989798598866e+02,
      6.680131188771972e+01,
      -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double plow = 0.02425;
    if (p < plow) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - plow) {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
