// Inference side of the public API: device selection, Surrogate::load / rollout, and
// checkpoint descriptions for `csd info`.
#include "csd/surrogate/surrogate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <filesystem>

#include "checkpoint.h"
#include "csd/core/error.h"
#include "csd/core/finite.h"
#include "csd/core/parallel.h"
#include "device.h"
#include "model.h"

namespace csd::surrogate {
namespace detail {

torch::Device resolve_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda") {
    require(torch::cuda::is_available(),
            "device 'cuda' requested but LibTorch sees no CUDA GPU (Debian's libtorch is "
            "CPU-only); use --device cpu or build against a CUDA LibTorch");
    return torch::kCUDA;
  }
  require(name == "auto", "unknown device '" + name + "': use auto, cpu or cuda");
  return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

void set_threads(int threads) { at::set_num_threads(resolve_threads(threads)); }

void configure_cpu_runtime(int threads) {
  set_threads(threads);
#ifdef __GLIBC__
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  });
#endif
}

}  // namespace detail

namespace {

/// η outside the training range is allowed (the model may extrapolate) but flagged,
/// once per loaded model (evaluate and phasediagram roll out many batches).
void warn_if_outside_training_range(double eta, double eta_min, double eta_max, bool& warned) {
  const double slack = 1e-9;
  if (warned || (eta >= eta_min - slack && eta <= eta_max + slack)) return;
  spdlog::warn("eta = {} is outside the range [{}, {}] seen in training: the surrogate "
               "extrapolates (further values outside the range are not reported)",
               eta, eta_min, eta_max);
  warned = true;
}

void require_finite_field(const std::vector<float>& values, int batch, int n) {
  const auto bad = first_non_finite(values.data(), values.size(), n);
  if (!bad) return;
  throw Error("initial field " +
              (batch > 1 ? std::to_string(bad->field) + " of " + std::to_string(batch) + " "
                         : std::string()) +
              "holds " + bad->where() + " (column, row); give a finite composition field");
}

/// The rollout proper, after rollout_batch has checked its input.
std::vector<float> roll_out(detail::Crnn& model, const torch::Device& device,
                            const std::vector<float>& phi0, int batch, int n,
                            const std::vector<double>& eta, int frames,
                            const std::function<void(int)>& on_frame) {
  const size_t frame_size = static_cast<size_t>(n) * n;
  c10::InferenceMode inference;
  std::vector<float> out(frame_size * batch * frames);
  auto store = [&](const torch::Tensor& phi, int k) {
    const auto host = phi.to(torch::kCPU).contiguous();
    const float* src = host.data_ptr<float>();
    for (int b = 0; b < batch; ++b)
      std::memcpy(out.data() + (static_cast<size_t>(b) * frames + k) * frame_size,
                  src + b * frame_size, frame_size * sizeof(float));
  };

  auto phi = torch::from_blob(const_cast<float*>(phi0.data()), {batch, 1, n, n}, torch::kFloat32)
                 .to(device, /*non_blocking=*/false, /*copy=*/true);
  store(phi, 0);
  const auto eta_channel = model->eta_field(torch::tensor(eta, torch::kFloat64), n);
  auto state = model->initial_state(batch, n, phi.options());
  for (int k = 1; k < frames; ++k) {
    phi = model->forward(phi, eta_channel, state);
    require(torch::isfinite(phi).all().item<bool>(),
            "the surrogate produced NaN/Inf at frame " + std::to_string(k) +
                "; the model is unstable for this input (check eta and the initial field)");
    store(phi, k);
    if (on_frame) on_frame(k);
  }
  return out;
}

}  // namespace

struct Surrogate::Impl {
  detail::Crnn model{nullptr};
  torch::Device device{torch::kCPU};
  ModelConfig config;
  double eta_min = 0, eta_max = 0;
  bool warned_eta = false;
};

Surrogate::Surrogate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Surrogate::~Surrogate() = default;
Surrogate::Surrogate(Surrogate&&) noexcept = default;
Surrogate& Surrogate::operator=(Surrogate&&) noexcept = default;

Surrogate Surrogate::load(const std::string& checkpoint, const DeviceOptions& device) {
  detail::configure_cpu_runtime(device.threads);
  auto impl = std::make_unique<Impl>();
  impl->device = detail::resolve_device(device.device);
  const detail::Checkpoint c = detail::read_checkpoint(checkpoint);
  impl->config = detail::model_config_of(c, checkpoint);
  try {
    impl->model = detail::Crnn(impl->config);
    detail::load_weights(impl->model, c, checkpoint);
    impl->model->to(impl->device);
    impl->model->eval();
  } catch (const c10::Error& e) {
    throw Error("cannot set up the model of '" + checkpoint + "': " + e.what_without_backtrace());
  }
  impl->eta_min = c.meta.value("eta_min", 0.0);
  impl->eta_max = c.meta.value("eta_max", 0.0);
  spdlog::info("surrogate '{}': hidden {}, kernel {}, layers {}, trained on eta in [{}, {}], "
               "device {}",
               checkpoint, impl->config.hidden, impl->config.kernel, impl->config.layers,
               impl->eta_min, impl->eta_max, impl->device.str());
  return Surrogate(std::move(impl));
}

std::vector<float> Surrogate::rollout(const std::vector<float>& phi0, int n, double eta,
                                      int frames, const std::function<void(int)>& on_frame) const {
  return rollout_batch(phi0, 1, n, {eta}, frames, on_frame);
}

std::vector<float> Surrogate::rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                            const std::vector<double>& eta, int frames,
                                            const std::function<void(int)>& on_frame) const {
  require(batch >= 1, "rollout batch must be >= 1");
  require(n >= impl_->config.kernel,
          "field size " + std::to_string(n) + " is smaller than the model's kernel (" +
              std::to_string(impl_->config.kernel) + "); use N >= kernel");
  require(frames >= 1, "frames must be >= 1 (frame 0 is the initial field)");
  const size_t frame_size = static_cast<size_t>(n) * n;
  require(phi0.size() == frame_size * batch,
          "initial field has " + std::to_string(phi0.size()) + " values, expected " +
              std::to_string(batch) + " x " + std::to_string(n) + "^2");
  require(static_cast<int>(eta.size()) == batch,
          "rollout needs one eta per field (" + std::to_string(batch) + "), got " +
              std::to_string(eta.size()));
  require_finite_field(phi0, batch, n);
  for (double e : eta) {
    require(std::isfinite(e) && e >= 0,
            "eta = " + fmt::format("{:g}", e) + " must be finite and >= 0");
    warn_if_outside_training_range(e, impl_->eta_min, impl_->eta_max, impl_->warned_eta);
  }

  try {
    return roll_out(impl_->model, impl_->device, phi0, batch, n, eta, frames, on_frame);
  } catch (const c10::Error& e) {
    throw Error(std::string("LibTorch failed during the rollout: ") + e.what_without_backtrace());
  }
}

const ModelConfig& Surrogate::model_config() const { return impl_->config; }
double Surrogate::eta_min() const { return impl_->eta_min; }
double Surrogate::eta_max() const { return impl_->eta_max; }
std::string Surrogate::device_name() const { return impl_->device.str(); }

std::optional<physics::Params> checkpoint_physics(const std::string& path) {
  const detail::Checkpoint c = detail::read_checkpoint(path);
  if (!c.meta.contains("physics")) return std::nullopt;
  try {
    return physics::Params::from_json(c.meta.at("physics"));
  } catch (const Error& e) {
    throw Error("checkpoint '" + path + "': " + e.what());
  }
}

double rollout_bytes(const std::string& checkpoint, int n, int frames) {
  const ModelConfig model = detail::model_config_of(detail::read_checkpoint(checkpoint), checkpoint);
  const double pixels = static_cast<double>(n) * n;
  return pixels * (40.0 * model.hidden * model.layers + 16.0 * frames);
}

Json describe_checkpoint(const std::string& path) {
  const detail::Checkpoint c = detail::read_checkpoint(path);
  int64_t parameters = 0;
  for (const auto& item : c.weights)
    if (item.first != "eta_scale" && item.first != "output_scale")  // buffers, not learned
      parameters += item.second.numel();
  Json j;
  j["kind"] = "surrogate checkpoint";
  j["path"] = path;
  j["file_bytes"] = std::filesystem::file_size(path);
  j["parameters"] = parameters;
  j["tensors"] = c.weights.size();
  j["has_optimizer_state"] = !c.optimizer.empty();
  for (const char* key : {"model", "eta_min", "eta_max", "epoch", "best_validation_loss",
                          "best_epoch", "csd_version", "data", "train", "physics", "weights_digest",
                          "optimizer_digest"})
    if (c.meta.contains(key)) j[key] = c.meta.at(key);
  return j;
}

}  // namespace csd::surrogate
