#include "compare_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "csd/analysis/descriptors.h"
#include "csd/core/error.h"
#include "csd/physics/params.h"

namespace csd::evaluation {
namespace detail {
namespace {

constexpr double kEtaTolerance = 1e-9;
constexpr double kInitialFieldTolerance = 1e-5;

/// `label 'path'`, how the messages name an input.
std::string describe(const SharedReader& r, const std::string& label) {
  return label + " '" + r.path() + "'";
}

void check_shapes(const SharedReader& a, const SharedReader& b, const CompareOptions& o,
                  Extent& e) {
  const io::DatasetShape& sa = a.shape();
  const io::DatasetShape& sb = b.shape();
  const std::string da = describe(a, o.prediction_label), db = describe(b, o.reference_label);
  require(sa.size == sb.size, "grid sizes differ: " + da + " is " + std::to_string(sa.size) +
                                  "² but " + db + " is " + std::to_string(sb.size) +
                                  "²; compare datasets on the same grid");
  const int count_a = limit(sa.sequences, o.max_sequences);
  const int count_b = limit(sb.sequences, o.max_sequences);
  require(count_a == count_b,
          "numbers of sequences differ: " + da + " has " + std::to_string(count_a) + " but " +
              db + " has " + std::to_string(count_b) +
              "; compare datasets made from the same initial fields (or limit with "
              "max_sequences)");
  const int frames_a = limit(sa.frames, o.max_frames);
  const int frames_b = limit(sb.frames, o.max_frames);
  require(frames_a == frames_b || o.allow_frame_mismatch,
          "numbers of frames differ: " + da + " has " + std::to_string(frames_a) + " but " +
              db + " has " + std::to_string(frames_b) +
              "; allow comparing the first min(T) frames (--allow-frame-mismatch) or limit "
              "with --frames");
  e.sequences = count_a;
  e.frames = std::min(frames_a, frames_b);
  e.size = sa.size;
}

void check_complete(const SharedReader& r, const std::string& label, int sequences) {
  const std::vector<bool> complete = r.completed();
  for (int s = 0; s < sequences; ++s)
    require(complete[s], "sequence " + std::to_string(s) + " of " + describe(r, label) +
                             " is incomplete (a partial file?); finish it first");
}

/// NaN/Inf in either input would vanish from the statistics: refused before any work.
void check_finite(const SharedReader& r, const Extent& e) {
  std::vector<int> sequences(e.sequences);
  std::iota(sequences.begin(), sequences.end(), 0);
  require_finite_inputs(r, r.path(), sequences, e.frames);
}

/// Runs of other physics are not the same runs: refused unless allowed.
void check_same_physics(const SharedReader& a, const SharedReader& b, const CompareOptions& o) {
  physics::require_same_physics(a.info().physics, describe(a, o.prediction_label),
                                b.info().physics, describe(b, o.reference_label),
                                o.allow_physics_mismatch, "compare");
}

/// Same η and same φ₀ for every sequence: otherwise the pairs are not the same runs.
void check_same_runs(const SharedReader& a, const SharedReader& b, const CompareOptions& o,
                     Extent& e) {
  const std::size_t count = static_cast<std::size_t>(e.size) * e.size;
  for (int s = 0; s < e.sequences; ++s) {
    const double eta_a = a.meta(s).eta, eta_b = b.meta(s).eta;
    const double eta_diff = std::abs(eta_a - eta_b);
    require(eta_diff <= kEtaTolerance,
            "sequence " + std::to_string(s) + " has η = " + fmt::format("{}", eta_a) + " in " +
                describe(a, o.prediction_label) + " but η = " + fmt::format("{}", eta_b) + " in " +
                describe(b, o.reference_label) + "; the datasets do not describe the same runs");
    e.eta_max_abs_diff = std::max(e.eta_max_abs_diff, eta_diff);
    const std::vector<float> phi_a = a.read_frame(s, 0), phi_b = b.read_frame(s, 0);
    double diff = 0;
    for (std::size_t i = 0; i < count; ++i)
      diff = std::max(diff, std::abs(double(phi_a[i]) - double(phi_b[i])));
    require(diff < kInitialFieldTolerance,
            "datasets do not start from the same initial fields (sequence " + std::to_string(s) +
                ": max |φ_A − φ_B| = " + fmt::format("{:g}", diff) +
                " at frame 0); compare a prediction with the reference it was started from");
    e.initial_max_abs_diff = std::max(e.initial_max_abs_diff, diff);
  }
}

}  // namespace

Extent check_inputs(const SharedReader& a, const SharedReader& b, const CompareOptions& o) {
  Extent e;
  check_shapes(a, b, o, e);
  analysis::require_descriptor_grid(e.size);  // an unsuitable grid fails before any reading
  check_complete(a, o.prediction_label, e.sequences);
  check_complete(b, o.reference_label, e.sequences);
  check_finite(a, e);
  check_finite(b, e);
  check_same_runs(a, b, o, e);
  check_same_physics(a, b, o);
  return e;
}

}  // namespace detail

void check_reference(const std::string& path, const std::string& label, int sequences,
                     int frames) {
  const detail::SharedReader r(path);
  detail::Extent e;
  e.sequences = detail::limit(r.shape().sequences, sequences);
  e.frames = detail::limit(r.shape().frames, frames);
  analysis::require_descriptor_grid(r.shape().size);
  detail::check_complete(r, label, e.sequences);
  detail::check_finite(r, e);
}

}  // namespace csd::evaluation
