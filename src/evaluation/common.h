#pragma once
// Pieces shared by analyze, compare and the phase diagram (private to csd_evaluation):
// one frame's descriptor record, a dataset reader that threads can share, a parallel
// loop over sequences, and JSON for quartiles.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "csd/analysis/descriptors.h"
#include "csd/analysis/stats.h"
#include "csd/core/error.h"
#include "csd/core/finite.h"
#include "csd/core/json_config.h"
#include "csd/core/parallel.h"
#include "csd/io/dataset.h"

namespace csd::evaluation::detail {

/// The per-frame descriptors in the order of frame_descriptor_names().
struct FrameRecord {
  double mean_phi = 0, f = 0, w = 0, rho = 0, grad = 0, total = 0;
  double interface_length = 0, isotropy = 0, fractal_dimension = 0;
  double min_phi = 0, max_phi = 0;
  // Coarsening (analysis/structure_factor.h, analysis/topology.h).
  double length = 0, k1 = 0, k2 = 0, anisotropy = 0, euler = 0, domains = 0;

  std::vector<double> values() const;
  /// Value by name (one of frame_descriptor_names()); throws on an unknown name.
  double get(const std::string& name) const;
};

FrameRecord describe_frame(const analysis::FrameAnalyzer& analyzer, const float* phi,
                           double eta);

/// io::DatasetReader does not promise concurrent calls on one object: reads from the
/// worker threads go through one mutex per reader (they are cheap next to the
/// descriptors, which run in parallel).
class SharedReader {
 public:
  explicit SharedReader(const std::string& path) : path_(path), reader_(path) {}
  const io::DatasetInfo& info() const { return reader_.info(); }
  const io::DatasetShape& shape() const { return reader_.shape(); }
  const std::string& path() const { return path_; }
  io::SequenceMeta meta(int s) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reader_.meta(s);
  }
  std::vector<bool> completed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reader_.completed();
  }
  std::vector<float> read_frame(int s, int frame) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reader_.read_frame(s, frame);
  }

 private:
  std::string path_;
  io::DatasetReader reader_;
  mutable std::mutex mutex_;
};

/// Refuses NaN or ±Inf in the inputs before any work (otherwise a frame's descriptors
/// are NaN and the statistics skip it silently): checks η and frames [0, frames) of each
/// listed sequence, in order, and throws csd::Error naming `path`, the sequence, the
/// frame and the pixel of the first non-finite value. Reader: SharedReader or
/// io::DatasetReader.
template <class Reader>
void require_finite_inputs(const Reader& reader, const std::string& path,
                           const std::vector<int>& sequences, int frames) {
  const int n = reader.shape().size;
  for (int s : sequences) {
    const double eta = reader.meta(s).eta;
    require(std::isfinite(eta), "'" + path + "' holds η = " + fmt::format("{}", eta) +
                                    " for sequence " + std::to_string(s) +
                                    "; every sequence needs a finite misfit");
    for (int j = 0; j < frames; ++j) {
      const std::vector<float> phi = reader.read_frame(s, j);
      if (const auto bad = first_non_finite(phi.data(), phi.size(), n))
        throw Error("'" + path + "' holds " + bad->where() + " (column, row) in sequence " +
                    std::to_string(s) + ", frame " + std::to_string(j) +
                    " (the first non-finite value); descriptors and statistics need finite "
                    "fields: regenerate or repair the data");
    }
  }
}

// The loop over sequences (csd/core/parallel.h), under the names analyze, compare and the
// phase diagram use.
using csd::parallel_for;
using csd::worker_count;

/// {"median", "q1", "q3", "iqr"}; NaN becomes null (JSON has no NaN).
Json quartiles_json(const analysis::Quartiles& q);
/// A finite number, or null.
Json number_or_null(double value);

/// Appends <name>_median, <name>_q1, <name>_q3 to `columns`.
void add_quartile_columns(std::vector<std::string>& columns, const std::string& name);
/// Appends median, q1, q3 of `values` (all NaN → NaN) to `row`.
void add_quartile_values(std::vector<double>& row, const std::vector<double>& values);
/// Quartiles of the finite values; NaN entries when none is finite.
analysis::Quartiles quartiles_or_nan(const std::vector<double>& values);

/// Clamps n_max (0 = all) to the available count.
inline int limit(int available, int n_max) {
  return n_max > 0 ? std::min(available, n_max) : available;
}

}  // namespace csd::evaluation::detail
