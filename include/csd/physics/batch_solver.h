#pragma once
/// A solver of Eq. 8 that advances a batch of sequences together, each with its own
/// initial field, misfit η and noise stream, one frame (steps_per_frame steps) at a
/// time. The LibTorch solver (include/csd/surrogate/torch_solver.h, CPU or CUDA) is
/// one; this interface is how `pipeline::generate` runs it without depending on
/// LibTorch. Every member must evolve exactly as a physics::Solver would, up to the
/// rounding of the FFTs.
#include <functional>
#include <memory>
#include <vector>

#include "csd/core/field.h"
#include "csd/physics/params.h"
#include "csd/physics/solver.h"

namespace csd::physics {

/// Where each member of a batch starts; the three vectors have one entry per member.
struct BatchStart {
  std::vector<Field> phi0;
  std::vector<double> eta;
  std::vector<NoiseOptions> noise;
};

class BatchSolver {
 public:
  virtual ~BatchSolver() = default;
  virtual int batch() const = 0;
  /// params.steps_per_frame steps of every member; throws csd::Error on NaN/Inf.
  virtual void advance_frame() = 0;
  /// Every member's current field, in double precision on the host, in batch order.
  virtual std::vector<Field> phi() const = 0;
};

/// Makes a solver for one batch; throws csd::Error on bad input (as Solver does).
using BatchSolverFactory =
    std::function<std::unique_ptr<BatchSolver>(const BatchStart&, const Params&)>;

}  // namespace csd::physics
