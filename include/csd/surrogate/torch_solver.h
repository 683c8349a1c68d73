#pragma once
/// The Eq. 8 solver on LibTorch (torch::fft, double precision), batched: the same step
/// as physics::Solver (include/csd/physics/solver.h), with the same coefficients
/// (physics::step_coefficients) and the same portable noise streams, for a batch of
/// sequences at once on the CPU or a CUDA GPU. It lives in the surrogate module because
/// that is csd's one LibTorch module; its interface is LibTorch-free.
///
///   auto make = csd::surrogate::torch_solver_factory("cuda", 0);  // throws without a GPU
///   auto solver = make(start, params);     // start: φ₀, η, noise of each member
///   solver->advance_frame();
///   std::vector<csd::Field> phi = solver->phi();
///
/// Noise (σ > 0) is drawn on the host from each member's own stream, exactly as
/// physics::Solver draws it, and copied to the device every step: a noisy dataset is
/// the same dataset on either solver, but the GPU then waits for the CPU's draws.
#include <string>

#include "csd/physics/batch_solver.h"

namespace csd::surrogate {

/// Resolves `device` ("cpu" or "cuda") now, so that a missing GPU is a csd::Error
/// before any output exists, and sets LibTorch's CPU threads (0 = all cores).
physics::BatchSolverFactory torch_solver_factory(const std::string& device, int threads);

}  // namespace csd::surrogate
