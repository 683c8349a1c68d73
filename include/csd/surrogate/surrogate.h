#pragma once
/// Public, LibTorch-free interface of the conv-GRU surrogate (paper Sec. 2.3), so that
/// apps and analysis code do not parse Torch headers. Internals (model, loss, data,
/// trainer) live in src/surrogate/ and include/csd/surrogate/detail/.
///
///   auto model = csd::surrogate::Surrogate::load("data/model-small.pt", {"auto", 2});
///   auto frames = model.rollout(phi0, n, /*eta=*/0.006, /*frames=*/100);
///
/// Checkpoints (.pt) are torch.save-compatible dicts, readable without csd:
///   d = torch.load("best.pt"); json.loads(d["meta"]); d["weights"]["head.weight"]
/// (layout in csd/surrogate/detail/checkpoint.h). The η channel is η · eta_scale
/// (default 100: η in percent); eta_scale is stored in the checkpoint.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "csd/core/json_config.h"
#include "csd/physics/params.h"

namespace csd::surrogate {

/// Architecture (DESIGN.md §4). JSON section "model".
struct ModelConfig {
  int hidden = 24;      ///< hidden channels per conv-GRU cell
  int kernel = 5;       ///< convolution kernel size (odd)
  int layers = 2;       ///< stacked conv-GRU cells
  double eta_scale = 100.0;  ///< η channel value = η · eta_scale (η in percent)
  /// μ̃ = output_scale · (w · features). Per-frame changes of φ are 10⁻⁴…10⁻², while
  /// Adam moves every weight by about the learning rate per step: the fixed factor keeps
  /// the learned projection w of order one, so its steps are small relative to it.
  /// Checkpoints written before this key existed used 1.
  double output_scale = 0.1;
  void validate() const;
  Json to_json() const;
  static ModelConfig from_json(const Json& section);
};

/// Training (JSON section "train"); defaults are the paper's.
struct TrainConfig {
  std::string data;             ///< HDF5 dataset from `csd generate`
  std::string out;              ///< output directory (checkpoints, CSV, PNG)
  int epochs = 100;
  int batch_size = 8;
  double learning_rate = 1e-3;
  double lambda_grad = 60.0;    ///< λ_∇
  double lambda_f = 150.0;      ///< λ_f
  double input_noise = 1e-3;    ///< σ of the mean-free input noise
  /// none (the paper) | persistence: divide each sequence's loss by that of "nothing
  /// changes" plus balance_floor (see detail/loss.h); the quick config uses it.
  std::string loss_balance = "none";
  double balance_floor = 1e-4;  ///< floor added to the persistence loss (loss units)
  double grad_clip = 0.0;       ///< clip the global gradient norm (0 = off, as in the paper);
                                ///< the quick config uses 1 against exploding unrolls
  int curriculum_epochs = 20;   ///< epochs over which given frames ramp T−1 → 1
  std::string lr_schedule = "constant";  ///< constant | cosine (see learning_rate_at)
  double lr_final = 0.05;       ///< cosine: learning rate at the last epoch, as a fraction
  double validation_fraction = 0.2;  ///< 4:1 split
  bool augment = true;          ///< 8 square symmetries and φ → 1−φ
  int max_frames = 0;           ///< use only the first max_frames frames (0 = all)
  int max_sequences = 0;        ///< use only the first sequences (0 = all)
  std::uint64_t seed = 1;
  std::string device = "auto";  ///< auto | cpu | cuda
  int threads = 0;              ///< 0 = all cores
  bool resume = false;
  ModelConfig model;
  void validate() const;
  Json to_json() const;
  /// Reads sections "train" and "model" of a config (unknown keys are errors).
  static TrainConfig from_json(const Json& config);
};

/// Curriculum (paper Sec. 2.3): number of true input frames given to the model at
/// `epoch` (1-based) for sequences of T frames. Epoch 1 gives T−1 frames (only the last
/// frame is predicted); the count falls linearly to 1 at epoch `ramp_epochs` and stays
/// at 1 (free rollout from φ₀). ramp_epochs ≤ 1 disables the curriculum (always 1).
int given_frames(int epoch, int frames, int ramp_epochs);

/// Adam learning rate of `epoch` (1-based). "constant": learning_rate throughout.
/// "cosine": learning_rate until the curriculum ends (the task is still changing), then
/// half a cosine down to lr_final · learning_rate at the last epoch; a small final rate
/// lets Adam settle below the noise floor that its step size sets.
double learning_rate_at(int epoch, const TrainConfig& config);

struct EpochRecord {
  int epoch = 0;
  int given_frames = 1;
  double learning_rate = 0;
  double train_loss = 0, validation_loss = 0, seconds = 0;
};

/// Runs training; writes <out>/best.pt, <out>/latest.pt, <out>/history.csv,
/// <out>/loss.png, <out>/config.json. Throws csd::Error on bad input or NaN loss.
std::vector<EpochRecord> train(const TrainConfig& config,
                               const std::function<void(const EpochRecord&)>& on_epoch = {});

struct DeviceOptions {
  std::string device = "auto";
  int threads = 0;  ///< 0 = all cores
};

/// Checkpoint summary for `csd info`.
Json describe_checkpoint(const std::string& path);

/// The solver physics of the data the checkpoint was trained on (τ, material), or
/// nothing if the checkpoint does not record it. Throws csd::Error if it cannot be read.
std::optional<physics::Params> checkpoint_physics(const std::string& path);

class Surrogate {
 public:
  static Surrogate load(const std::string& checkpoint, const DeviceOptions& device = {});
  ~Surrogate();
  Surrogate(Surrogate&&) noexcept;
  Surrogate& operator=(Surrogate&&) noexcept;

  /// Rolls out `frames` frames (including φ₀ as frame 0) from an n×n field.
  /// Returns frames*n*n float32. `on_frame(k)` is called after each predicted frame.
  std::vector<float> rollout(const std::vector<float>& phi0, int n, double eta, int frames,
                             const std::function<void(int)>& on_frame = {}) const;
  /// Batched rollout of several initial fields of the same size (B*n*n in, B*frames*n*n out).
  std::vector<float> rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                   const std::vector<double>& eta, int frames,
                                   const std::function<void(int)>& on_frame = {}) const;
  const ModelConfig& model_config() const;
  /// η range seen in training (for out-of-range warnings).
  double eta_min() const;
  double eta_max() const;
  std::string device_name() const;

 private:
  struct Impl;
  explicit Surrogate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd::surrogate
