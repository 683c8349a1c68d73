#pragma once
// Analytic test fields for the analysis tests (float32 N×N row-major, like dataset frames).
#include <cmath>
#include <functional>
#include <vector>

namespace csd::analysis::testing {

constexpr double kPi = 3.14159265358979323846;

using Frame = std::vector<float>;

inline Frame make_frame(int n, const std::function<double(double y, double x)>& f) {
  Frame frame(std::size_t(n) * n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) frame[std::size_t(y) * n + x] = float(f(y, x));
  return frame;
}

/// Smooth stripes φ = ½ + ½ tanh(sin(2πx/period)/width), interfaces normal to x.
inline Frame vertical_stripes(int n, double period = 16.0, double width = 0.3) {
  return make_frame(n, [=](double, double x) {
    return 0.5 + 0.5 * std::tanh(std::sin(2 * kPi * x / period) / width);
  });
}

/// Disc of radius r at the grid centre with the equilibrium profile ½(1 + tanh(3(r−ρ)/ε)).
inline Frame disc(int n, double radius, double epsilon = 5.0) {
  const double c = 0.5 * (n - 1);
  return make_frame(n, [=](double y, double x) {
    return 0.5 + 0.5 * std::tanh(3.0 * (radius - std::hypot(y - c, x - c)) / epsilon);
  });
}

/// An n×n frame whose top-left m×m part is the periodic m×m frame `inner` (n ≥ m + 2),
/// with the remainder rows and columns chosen so that every periodic neighbour of that
/// part reads as in `inner`: row and column m repeat 0, row and column n − 1 repeat
/// m − 1 (the rest repeat `inner` too). Whole HOG cells and whole boxes that cover the
/// m×m part then see exactly `inner`.
inline Frame pad_periodically(const Frame& inner, int m, int n) {
  auto source = [=](int i) { return i < m ? i : (i == n - 1 ? m - 1 : (i - m) % m); };
  Frame out(std::size_t(n) * n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      out[std::size_t(y) * n + x] = inner[std::size_t(source(y)) * m + source(x)];
  return out;
}

/// Rotation by 90°: out(y, x) = in(x, n−1−y).
inline Frame rotate90(const Frame& in, int n) {
  Frame out(in.size());
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) out[std::size_t(y) * n + x] = in[std::size_t(x) * n + (n - 1 - y)];
  return out;
}

inline Frame transpose(const Frame& in, int n) {
  Frame out(in.size());
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) out[std::size_t(y) * n + x] = in[std::size_t(x) * n + y];
  return out;
}

/// Sierpinski carpet of `level` levels on 3^level pixels: 1 = filled, 0 = hole.
/// A pixel is a hole iff at some level both of its base-3 digits are 1.
inline Frame sierpinski_carpet(int level, int* size) {
  int n = 1;
  for (int k = 0; k < level; ++k) n *= 3;
  *size = n;
  return make_frame(n, [=](double yd, double xd) {
    for (int y = int(yd), x = int(xd); y > 0 || x > 0; y /= 3, x /= 3)
      if (y % 3 == 1 && x % 3 == 1) return 0.0;
    return 1.0;
  });
}

}  // namespace csd::analysis::testing
