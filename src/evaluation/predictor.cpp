#include "csd/evaluation/predictor.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "common.h"
#include "csd/core/error.h"
#include "csd/core/field.h"
#include "csd/physics/solver.h"

namespace csd::evaluation {
namespace {

void require_batch_shape(const std::vector<float>& phi0, int batch, int n,
                         const std::vector<double>& etas, int frames) {
  require(batch >= 1 && n >= 1 && frames >= 1,
          fmt::format("a rollout needs batch, n and frames >= 1 (got {}, {}, {})", batch, n, frames));
  require(phi0.size() == static_cast<std::size_t>(batch) * n * n,
          fmt::format("{} initial values for {} fields of {}²", phi0.size(), batch, n));
  require(etas.size() == static_cast<std::size_t>(batch),
          fmt::format("{} misfits for {} fields", etas.size(), batch));
}

}  // namespace

SolverPredictor::SolverPredictor(const physics::Params& params, int threads)
    : params_(params), threads_(threads) {
  params_.validate();
}

std::vector<float> SolverPredictor::rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                                  const std::vector<double>& etas, int frames,
                                                  const std::function<void(int)>& on_frame) const {
  require_batch_shape(phi0, batch, n, etas, frames);
  const std::size_t frame_size = static_cast<std::size_t>(n) * n;
  std::vector<float> out(static_cast<std::size_t>(batch) * frames * frame_size);
  std::vector<std::unique_ptr<physics::Solver>> solvers(batch);
  for (int k = 0; k < batch; ++k) {
    const float* first = phi0.data() + k * frame_size;
    std::copy(first, first + frame_size, out.begin() + static_cast<std::ptrdiff_t>(k * frames * frame_size));
    const Field field = Eigen::Map<const FieldF>(first, n, n).cast<double>();
    solvers[k] = std::make_unique<physics::Solver>(field, etas[k], params_);
  }
  // Frame by frame over the batch, so that on_frame(t) means what it means for a network.
  for (int t = 1; t < frames; ++t) {
    detail::parallel_for(
        batch, threads_, [] { return 0; },
        [&](int k, int) {
          solvers[k]->advance_frame();
          float* target = out.data() + (static_cast<std::size_t>(k) * frames + t) * frame_size;
          Eigen::Map<FieldF>(target, n, n) = solvers[k]->phi().cast<float>();
        });
    if (on_frame) on_frame(t);
  }
  return out;
}

std::string SolverPredictor::description() const {
  return fmt::format("solver (tau = {} steps of dt = {})", params_.steps_per_frame, params_.dt);
}

std::vector<float> PersistencePredictor::rollout_batch(const std::vector<float>& phi0, int batch,
                                                       int n, const std::vector<double>& etas,
                                                       int frames,
                                                       const std::function<void(int)>& on_frame) const {
  require_batch_shape(phi0, batch, n, etas, frames);
  const std::size_t frame_size = static_cast<std::size_t>(n) * n;
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(batch) * frames * frame_size);
  for (int k = 0; k < batch; ++k)
    for (int t = 0; t < frames; ++t)
      out.insert(out.end(), phi0.begin() + static_cast<std::ptrdiff_t>(k * frame_size),
                 phi0.begin() + static_cast<std::ptrdiff_t>((k + 1) * frame_size));
  if (on_frame)
    for (int t = 1; t < frames; ++t) on_frame(t);
  return out;
}

}  // namespace csd::evaluation
