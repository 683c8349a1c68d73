#include "common.h"

#include <cmath>
#include <limits>

#include "csd/core/error.h"
#include "csd/evaluation/analyze.h"

namespace csd::evaluation {

const std::vector<std::string>& frame_descriptor_names() {
  static const std::vector<std::string> names{
      "mean_phi", "f",         "w",         "rho",     "grad",   "total",
      "interface_length", "isotropy", "fractal_dimension", "min_phi", "max_phi",
      "length", "k1", "k2", "anisotropy", "euler", "domains"};
  return names;
}

namespace detail {

std::vector<double> FrameRecord::values() const {
  return {mean_phi, f, w, rho, grad, total, interface_length, isotropy, fractal_dimension,
          min_phi, max_phi, length, k1, k2, anisotropy, euler, domains};
}

double FrameRecord::get(const std::string& name) const {
  const auto& names = frame_descriptor_names();
  const auto it = std::find(names.begin(), names.end(), name);
  require(it != names.end(), "unknown frame descriptor '" + name + "'");
  return values()[static_cast<std::size_t>(it - names.begin())];
}

FrameRecord describe_frame(const analysis::FrameAnalyzer& analyzer, const float* phi,
                           double eta) {
  const analysis::FrameDescriptors d = analyzer(phi, eta);
  FrameRecord r;
  r.f = d.energies.f;
  r.w = d.energies.w;
  r.rho = d.energies.rho;
  r.grad = d.energies.grad;
  r.total = d.energies.total;
  r.interface_length = d.interface_length;
  r.isotropy = d.isotropy;
  r.fractal_dimension = d.fractal_dimension;
  r.length = d.spectrum.length;
  r.k1 = d.spectrum.k1;
  r.k2 = d.spectrum.k2;
  r.anisotropy = d.spectrum.anisotropy;
  r.euler = static_cast<double>(d.topology.euler);
  r.domains = static_cast<double>(d.topology.domains);
  const std::size_t count = static_cast<std::size_t>(analyzer.n()) * analyzer.n();
  double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = phi[i];
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  r.mean_phi = sum / static_cast<double>(count);
  r.min_phi = lo;
  r.max_phi = hi;
  return r;
}

Json number_or_null(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json quartiles_json(const analysis::Quartiles& q) {
  return {{"median", number_or_null(q.median)},
          {"q1", number_or_null(q.q1)},
          {"q3", number_or_null(q.q3)},
          {"iqr", number_or_null(q.iqr())}};
}

analysis::Quartiles quartiles_or_nan(const std::vector<double>& values) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double v : values)
    if (std::isfinite(v)) return analysis::quartiles(values);
  return {nan, nan, nan};
}

void add_quartile_columns(std::vector<std::string>& columns, const std::string& name) {
  columns.push_back(name + "_median");
  columns.push_back(name + "_q1");
  columns.push_back(name + "_q3");
}

void add_quartile_values(std::vector<double>& row, const std::vector<double>& values) {
  const analysis::Quartiles q = quartiles_or_nan(values);
  row.push_back(q.median);
  row.push_back(q.q1);
  row.push_back(q.q3);
}

}  // namespace detail
}  // namespace csd::evaluation
