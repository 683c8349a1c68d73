#include "compare_frames.h"

#include <limits>
#include <string>

#include "csd/analysis/metrics.h"
#include "csd/core/error.h"
#include "csd/evaluation/compare.h"

namespace csd::evaluation {
namespace detail {
namespace {

/// The descriptors reported for both sides, in column order.
constexpr double FrameRecord::*kComparedDescriptors[] = {
    &FrameRecord::f,     &FrameRecord::w,        &FrameRecord::rho,
    &FrameRecord::total, &FrameRecord::interface_length, &FrameRecord::isotropy,
    &FrameRecord::fractal_dimension, &FrameRecord::length, &FrameRecord::anisotropy,
    &FrameRecord::euler, &FrameRecord::domains};

/// The columns after the descriptors.
std::vector<Column<PairRecord>> extra_columns() {
  return {member_column("near_grid_rms_a", &PairRecord::near_grid_rms_a),
          member_column("near_grid_rms_b", &PairRecord::near_grid_rms_b),
          descriptor_column("phi_min_a", &PairRecord::a, &FrameRecord::min_phi),
          descriptor_column("phi_max_a", &PairRecord::a, &FrameRecord::max_phi),
          member_column("outside_a", &PairRecord::outside_fraction_a),
          member_column("far_outside_a", &PairRecord::far_outside_fraction_a)};
}

std::vector<Column<PairRecord>> make_pair_columns() {
  std::vector<Column<PairRecord>> columns{
      member_column("mae", &PairRecord::mae),
      member_column("mae_persistence", &PairRecord::mae_persistence),
      member_column("interface_error", &PairRecord::interface_error, Ensemble::kMagnitude)};
  for (double FrameRecord::*descriptor : kComparedDescriptors) {
    const std::string& name = frame_column(descriptor).name;
    columns.push_back(descriptor_column(name + "_a", &PairRecord::a, descriptor));
    columns.push_back(descriptor_column(name + "_b", &PairRecord::b, descriptor));
  }
  const std::vector<Column<PairRecord>> extras = extra_columns();
  columns.insert(columns.end(), extras.begin(), extras.end());
  return columns;
}

template <class Matches>
const Column<PairRecord>& find_pair_column(Matches matches) {
  for (const auto& c : pair_columns())
    if (matches(c)) return c;
  throw Error("internal: no compare column for this PairRecord member");
}

}  // namespace

const std::vector<Column<PairRecord>>& pair_columns() {
  static const std::vector<Column<PairRecord>> columns = make_pair_columns();
  return columns;
}

const Column<PairRecord>& pair_column(double PairRecord::*member) {
  return find_pair_column([&](const Column<PairRecord>& c) { return c.member == member; });
}

const Column<PairRecord>& pair_column(FrameRecord PairRecord::*side,
                                      double FrameRecord::*descriptor) {
  return find_pair_column(
      [&](const Column<PairRecord>& c) { return c.field == side && c.descriptor == descriptor; });
}

PairRecord compare_frame(const FrameTools& tools, const std::vector<float>& a,
                         const std::vector<float>& b, const std::vector<float>& initial_b,
                         double eta) {
  PairRecord r;
  r.mae = analysis::mae(a.data(), b.data(), a.size());
  r.mae_persistence = analysis::mae(initial_b.data(), b.data(), b.size());
  r.a = describe_frame(tools.descriptors, a.data(), eta);
  r.b = describe_frame(tools.descriptors, b.data(), eta);
  r.interface_error = r.b.interface_length != 0.0
                          ? (r.a.interface_length - r.b.interface_length) / r.b.interface_length
                          : std::numeric_limits<double>::quiet_NaN();
  r.near_grid_rms_a = tools.near_grid(a.data());
  r.near_grid_rms_b = tools.near_grid(b.data());
  r.outside_a = static_cast<long long>(
      analysis::count_outside(a.data(), a.size(), kPhiRange[0], kPhiRange[1]));
  r.far_outside_a = static_cast<long long>(
      analysis::count_outside(a.data(), a.size(), kPhiFarRange[0], kPhiFarRange[1]));
  r.pixels = static_cast<long long>(a.size());
  r.outside_fraction_a = static_cast<double>(r.outside_a) / r.pixels;
  r.far_outside_fraction_a = static_cast<double>(r.far_outside_a) / r.pixels;
  return r;
}

}  // namespace detail

const std::vector<std::string>& compare_descriptor_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (double detail::FrameRecord::*d : detail::kComparedDescriptors)
      n.push_back(detail::frame_column(d).name);
    return n;
  }();
  return names;
}

const std::vector<std::string>& pair_extra_names() {
  static const std::vector<std::string> names = detail::column_names(detail::extra_columns());
  return names;
}

}  // namespace csd::evaluation
