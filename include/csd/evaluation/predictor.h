#pragma once
/// Anything that predicts an evolution from φ₀ and η: the surrogate (LibTorch, made by
/// surrogate::make_predictor), the solver itself, or persistence ("nothing changes").
/// The evaluation and phase-diagram jobs take a Predictor, so their logic runs and is
/// tested without LibTorch; the solver and persistence predictors are exact references
/// for those tests (a perfect model, and the trivial one).
///
///   csd::evaluation::SolverPredictor solver(params);
///   auto frames = solver.rollout_batch(phi0, batch, n, etas, 101);
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "csd/physics/params.h"

namespace csd::evaluation {

class Predictor {
 public:
  virtual ~Predictor() = default;
  /// Rolls `batch` initial n×n fields (batch·n·n, back to back) out for `frames` frames,
  /// φ₀ included as frame 0, each at its own η. Returns batch·frames·n·n float32,
  /// sequence by sequence. `on_frame(k)` is called after predicted frame k of the batch.
  virtual std::vector<float> rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                           const std::vector<double>& etas, int frames,
                                           const std::function<void(int)>& on_frame) const = 0;
  /// Short label for logs ("surrogate 'best.pt' on cpu").
  virtual std::string description() const = 0;
  /// The solver physics (τ, material) the predictor emulates, when it knows it.
  virtual std::optional<physics::Params> physics() const { return std::nullopt; }
};

/// The spectral solver (physics::Solver) from each φ₀: a perfect predictor of data the
/// solver made with the same physics and no noise.
class SolverPredictor : public Predictor {
 public:
  explicit SolverPredictor(const physics::Params& params, int threads = 1);
  std::vector<float> rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                   const std::vector<double>& etas, int frames,
                                   const std::function<void(int)>& on_frame) const override;
  std::string description() const override;
  std::optional<physics::Params> physics() const override { return params_; }

 private:
  physics::Params params_;
  int threads_;
};

/// "Nothing changes": every frame is φ₀. The baseline every error is measured against.
class PersistencePredictor : public Predictor {
 public:
  std::vector<float> rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                   const std::vector<double>& etas, int frames,
                                   const std::function<void(int)>& on_frame) const override;
  std::string description() const override { return "persistence"; }
};

}  // namespace csd::evaluation
