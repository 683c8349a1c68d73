#include "csd/surrogate/torch_solver.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <random>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "csd/core/random.h"
#include "device.h"

namespace csd::surrogate {
namespace {

constexpr auto kDouble = torch::kFloat64;

/// Copies a host double buffer of `shape` to `device` (from_blob does not own the data).
torch::Tensor to_device(const double* data, torch::IntArrayRef shape, torch::Device device) {
  return torch::from_blob(const_cast<double*>(data), shape, kDouble).to(device, kDouble,
                                                                         false, true);
}

/// The portable noise of physics::Solver for one member: σ·z per pixel in storage order,
/// z from the member's own Box–Muller stream (csd/core/random.h), mean removed.
struct NoiseStream {
  double sigma = 0;
  std::mt19937_64 rng;
  StandardNormal gauss;

  void draw(double* out, std::size_t count) {
    double mean = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
      out[i] = sigma * gauss(rng);
      mean += out[i];
    }
    mean /= static_cast<double>(count);
    for (std::size_t i = 0; i < count; ++i) out[i] -= mean;
  }
};

class TorchSolver final : public physics::BatchSolver {
 public:
  TorchSolver(const physics::BatchStart& start, const physics::Params& params,
              torch::Device device)
      : params_(params), device_(device) {
    const std::size_t batch = start.phi0.size();
    require(batch >= 1, "a solver batch needs at least one sequence");
    require(start.eta.size() == batch && start.noise.size() == batch,
            fmt::format("a solver batch needs one η and one noise setting per field (got {} "
                        "fields, {} η, {} noise)",
                        batch, start.eta.size(), start.noise.size()));
    n_ = static_cast<int>(start.phi0.front().rows());
    const std::size_t pixels = static_cast<std::size_t>(n_) * n_;
    const std::size_t modes = static_cast<std::size_t>(n_) * (n_ / 2 + 1);
    std::vector<double> phi0(batch * pixels), b(batch * modes), ab(batch * modes);
    for (std::size_t m = 0; m < batch; ++m) {
      const Field& f = start.phi0[m];
      physics::validate_solver_inputs(f, start.eta[m], params, start.noise[m]);
      require(f.rows() == n_, fmt::format("every field of a solver batch must be {}×{} (field "
                                          "{} is {}×{})", n_, n_, m, f.rows(), f.cols()));
      std::copy(f.data(), f.data() + pixels, phi0.data() + m * pixels);
      const physics::StepCoefficients c = physics::step_coefficients(n_, start.eta[m], params);
      std::copy(c.b.begin(), c.b.end(), b.data() + m * modes);
      std::copy(c.ab.begin(), c.ab.end(), ab.data() + m * modes);
      noise_.push_back({start.noise[m].sigma, std::mt19937_64(start.noise[m].seed), {}});
      noisy_ = noisy_ || start.noise[m].sigma > 0.0;
    }
    const auto members = static_cast<long>(batch);
    // b and ab get a trailing axis of 1 so that they scale the real and imaginary parts
    // of view_as_real(φ̂) alike, as src/physics/solver.cpp's update does.
    b_coef_ = to_device(b.data(), {members, n_, n_ / 2 + 1, 1}, device_);
    ab_coef_ = to_device(ab.data(), {members, n_, n_ / 2 + 1, 1}, device_);
    phi_hat_ = torch::fft::rfft2(to_device(phi0.data(), {members, n_, n_}, device_));
    if (noisy_) noise_host_.resize(batch * pixels);
  }

  int batch() const override { return static_cast<int>(noise_.size()); }

  void advance_frame() override {
    torch::NoGradGuard no_grad;
    for (int s = 0; s < params_.steps_per_frame; ++s) step();
    steps_ += params_.steps_per_frame;
    check_finite();
  }

  std::vector<Field> phi() const override {
    torch::NoGradGuard no_grad;
    const torch::Tensor host = real_field().to(torch::kCPU).contiguous();
    const double* data = host.data_ptr<double>();
    std::vector<Field> out(noise_.size(), Field(n_, n_));
    const std::size_t pixels = static_cast<std::size_t>(n_) * n_;
    for (std::size_t m = 0; m < out.size(); ++m)
      std::copy(data + m * pixels, data + (m + 1) * pixels, out[m].data());
    return out;
  }

 private:
  /// φ = c2r(φ̂), normalised by 1/N² as physics::Spectral::backward.
  torch::Tensor real_field() const {
    return torch::fft::irfft2(phi_hat_, torch::IntArrayRef{n_, n_});
  }

  /// One step of Eq. 8, operation for operation as physics::Solver::Impl::step.
  void step() {
    const torch::Tensor phi = real_field();
    // w'(φ) = 36/ε φ(1−φ)(1−2φ), multiplied in the same order as the FFTW solver.
    const torch::Tensor w = phi.mul(36.0 / params_.epsilon).mul_(1.0 - phi).mul_(1.0 - 2.0 * phi);
    const torch::Tensor w_hat = torch::fft::rfft2(w);
    // φ̂ ← φ̂·b − ŵ'·ab; at k = 0, b = 1 and ab = 0 leave φ̂ (the mass) exactly as it was.
    torch::Tensor p = torch::view_as_real(phi_hat_);
    p.mul_(b_coef_).sub_(torch::view_as_real(w_hat).mul_(ab_coef_));
    if (noisy_) add_noise();
  }

  /// Draws every member's noise on the host and adds its spectrum at k ≠ 0.
  void add_noise() {
    const std::size_t pixels = static_cast<std::size_t>(n_) * n_;
    for (std::size_t m = 0; m < noise_.size(); ++m) {
      double* out = noise_host_.data() + m * pixels;
      if (noise_[m].sigma > 0.0)
        noise_[m].draw(out, pixels);
      else
        std::fill(out, out + pixels, 0.0);
    }
    const auto batch = static_cast<long>(noise_.size());
    torch::Tensor xi_hat = torch::fft::rfft2(to_device(noise_host_.data(), {batch, n_, n_}, device_));
    xi_hat.select(-1, 0).select(-1, 0).zero_();
    phi_hat_.add_(xi_hat);
  }

  void check_finite() const {
    const torch::Tensor finite = torch::isfinite(torch::view_as_real(phi_hat_)).flatten(1).all(1);
    if (finite.all().item<bool>()) return;
    const long member = torch::argmin(finite.to(torch::kInt)).item<long>();
    throw Error(fmt::format("solver diverged (NaN/Inf) in batch member {} after step {} with "
                            "dt={:g}; reduce physics.dt (e.g. halve it and double "
                            "steps_per_frame)",
                            member, steps_, params_.dt));
  }

  physics::Params params_;
  torch::Device device_;
  int n_ = 0;
  long steps_ = 0;
  torch::Tensor phi_hat_;  ///< [B, N, N/2+1] complex128: the state, as in physics::Solver
  torch::Tensor b_coef_, ab_coef_;  ///< [B, N, N/2+1, 1] float64
  std::vector<NoiseStream> noise_;
  bool noisy_ = false;
  std::vector<double> noise_host_;
};

}  // namespace

physics::BatchSolverFactory torch_solver_factory(const std::string& device, int threads) {
  require(device == "cpu" || device == "cuda",
          "unknown solver device '" + device + "': use cpu or cuda");
  const torch::Device resolved = detail::resolve_device(device);
  detail::set_threads(threads);
  return [resolved](const physics::BatchStart& start, const physics::Params& params)
             -> std::unique_ptr<physics::BatchSolver> {
    try {
      return std::make_unique<TorchSolver>(start, params, resolved);
    } catch (const c10::Error& e) {
      throw Error(std::string("cannot set up the LibTorch solver: ") + e.what_without_backtrace());
    }
  };
}

}  // namespace csd::surrogate
