#pragma once
/// Public, LibTorch-free interface of the conv-GRU surrogate (paper Sec. 2.3), so that
/// apps and analysis code do not parse Torch headers. Internals (model, loss, data,
/// trainer) live in src/surrogate/.
///
///   auto model = csd::surrogate::Surrogate::load("data/model-small.pt", {"auto", 2});
///   auto frames = model.rollout(phi0, n, /*eta=*/0.006, /*frames=*/100);
///
/// Checkpoints (.pt) are torch.save-compatible dicts, readable without csd:
///   d = torch.load("best.pt"); json.loads(d["meta"]); d["weights"]["head.weight"]
/// (layout in src/surrogate/checkpoint.h). The η channel is η · eta_scale
/// (default 100: η in percent); eta_scale is stored in the checkpoint.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "csd/core/json_config.h"
#include "csd/core/options.h"
#include "csd/physics/params.h"

namespace csd::surrogate {

/// Architecture (docs/architecture.md §5). JSON section "model".
struct ModelConfig {
  int hidden = 24;      ///< hidden channels per conv-GRU cell
  int kernel = 5;       ///< convolution kernel size (odd)
  int layers = 2;       ///< stacked conv-GRU cells
  double eta_scale = 100.0;  ///< η channel value = η · eta_scale (η in percent)
  /// μ̃ = output_scale · (w · features). Per-frame changes of φ are 10⁻⁴…10⁻², while
  /// Adam moves every weight by about the learning rate per step: the fixed factor keeps
  /// the learned projection w of order one, so its steps are small relative to it.
  /// Checkpoints written before this key existed used 1.
  /// 0.25 sizes w to τ = 100 updates (larger than τ = 50's); the shipped model uses it.
  double output_scale = 0.25;
  void validate() const;
  Json to_json() const;
  static ModelConfig from_json(const Json& section);
};

/// Training (JSON section "train"). The defaults are the recipe of the shipped τ = 100
/// model (docs/training.md): scheme "rollout". The paper's own recipe is scheme
/// "curriculum" with loss_weights "fixed", input_noise 1e-3, noise_feedback false,
/// lr_schedule "constant", grad_clip 0 (configs/paper/curriculum.json).
struct TrainConfig {
  std::string data;             ///< HDF5 dataset from `csd generate`
  std::string out;              ///< output directory (checkpoints, CSV, PNG)
  /// Weights (not optimizer state) to start from, e.g. stage 1 of a two-stage recipe;
  /// empty = random initialisation. The architecture must match.
  std::string init_from;
  int epochs = 100;
  int batch_size = 8;
  double learning_rate = 1e-3;
  /// rollout: every batch is a window of a sequence: warm-up on true frames (no
  /// gradient), optional pushforward steps (no gradient), then `loss frames` free
  /// predictions that carry the loss. curriculum: the paper's teacher forcing, T−1 given
  /// frames ramping down to φ₀ alone over curriculum_epochs, every frame in the loss.
  std::string scheme = "rollout";
  /// fixed: L_φ + λ_∇ L_∇ + λ_f L_f with lambda_grad, lambda_f (the paper's 60, 150).
  /// auto: λ_∇, λ_f and a normaliser measured from the training data so that each term
  /// is one third of the loss of "nothing changes" (which then scores 1); see src/surrogate/loss.h.
  std::string loss_weights = "auto";
  double lambda_grad = 60.0;    ///< λ_∇ (loss_weights = fixed)
  double lambda_f = 150.0;      ///< λ_f (loss_weights = fixed)
  double input_noise = 5e-3;    ///< σ of the mean-free Gaussian input noise
  /// Noise also on the model's own predictions fed back as inputs (not only on true
  /// frames): the rollout then learns to pull perturbed states back.
  bool noise_feedback = true;
  /// none (the paper) | persistence: divide each sequence's loss by that of "nothing
  /// changes" plus balance_floor | frame: the same per predicted frame (see
  /// src/surrogate/loss.h).
  std::string loss_balance = "none";
  double balance_floor = 1e-4;  ///< floor added to the persistence loss (loss units)
  double grad_clip = 1.0;       ///< clip the global gradient norm (0 = off, as in the paper)
  int curriculum_epochs = 20;   ///< curriculum: epochs over which given frames ramp T−1 → 1
  // ---- scheme "rollout" ----
  double cold_fraction = 0.25;  ///< share of batches that start at φ₀ with a zero state
  int warmup_min = 2;           ///< warm batches: true frames fed without gradient, drawn
  int warmup_max = 10;          ///< uniformly from [warmup_min, warmup_max]
  int loss_frames_start = 4;    ///< predicted frames in the loss at the first step …
  int loss_frames_end = 20;     ///< … growing linearly to this (the training horizon H)
  double loss_frames_ramp = 0.7;  ///< fraction of all steps over which the count grows
  int pushforward_cold = 0;     ///< cold batches: U{0..this} free steps without gradient
  int pushforward_warm = 0;     ///< warm batches: U{0..this} free steps without gradient
  /// Weight λ_E of the energy penalty (0 = off; not in the paper): λ_E · mean over
  /// consecutive predicted frames of max(0, F(t+1) − F(t)) / P_E, with F the exact
  /// discrete free energy the solver decreases and P_E the data's mean |ΔF| per frame
  /// (src/surrogate/loss.h). A coarsening model must never raise F.
  double energy_penalty = 0.0;
  /// Unsupervised frames predicted after the loss frames (with gradient) that only the
  /// energy penalty sees: the model learns to keep F falling past its horizon.
  int energy_frames = 0;
  /// Weight λ_R of the range penalty (0 = off; not in the paper): λ_R · mean over every
  /// predicted pixel (loss and energy frames) of the squared distance outside
  /// [−0.02, 1.02], a band the solver's fields stay in or at (src/surrogate/loss.h).
  /// Absolute, not balanced: it prices overshooting domains in every frame alike.
  double range_penalty = 0.0;
  /// constant | cosine (per epoch, after the curriculum) | warmup_cosine (per step:
  /// linear warm-up over warmup_steps, then half a cosine to lr_final · learning_rate).
  std::string lr_schedule = "warmup_cosine";
  double lr_final = 0.05;       ///< cosine schedules: final learning rate, as a fraction
  int warmup_steps = 50;        ///< warmup_cosine: Adam steps of linear warm-up
  double validation_fraction = 0.2;  ///< 4:1 split
  bool augment = true;          ///< 8 square symmetries and φ → 1−φ
  int max_frames = 0;           ///< use only the first max_frames frames (0 = all)
  int max_sequences = 0;        ///< use only the first sequences (0 = all)
  int keep_every = 0;           ///< also keep OUT/epoch-NNNN.pt every this many epochs (0 = no)
  std::uint64_t seed = 1;
  std::string device = "auto";  ///< auto | cpu | cuda
  int threads = 0;              ///< 0 = all cores
  /// Data-parallel collectives when the launcher starts several ranks (RANK/WORLD_SIZE or
  /// SLURM_PROCID/SLURM_NTASKS; docs/training.md): auto (gloo on CPU, nccl on CUDA) | gloo | nccl.
  std::string dist_backend = "auto";
  int dist_timeout = 600;       ///< seconds a rank waits for the others before it fails
  bool resume = false;
  /// Start a new run in an --out that holds files of an earlier one (latest.pt, best.pt),
  /// replacing them; without it such a directory is refused.
  bool overwrite = false;
  ModelConfig model;
  void validate() const;
  Json to_json() const;
  /// Reads sections "train" and "model" of a config (unknown keys are errors).
  static TrainConfig from_json(const Json& config);
};

/// The option tables behind sections "model" and "train" (keys = member names; the
/// train keys are also `csd train`'s flags).
const OptionTable<ModelConfig>& model_options();
const OptionTable<TrainConfig>& train_options();

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

/// warmup_cosine: Adam learning rate of optimizer step `step` (0-based) of
/// `total_steps`: linear from learning_rate / warmup_steps up to learning_rate over the
/// first warmup_steps, then half a cosine down to lr_final · learning_rate at the end.
double learning_rate_at_step(long step, long total_steps, const TrainConfig& config);

/// Scheme rollout: frames that carry the loss at step `step` (0-based) of `total_steps`,
/// loss_frames_start growing linearly to loss_frames_end over the first
/// loss_frames_ramp of the run, then constant.
int loss_frames_at(long step, long total_steps, const TrainConfig& config);

struct EpochRecord {
  int epoch = 0;
  int given_frames = 1;     ///< curriculum: given true frames; rollout: 0
  int loss_frames = 0;      ///< frames that carried the loss at the epoch's last step
  double learning_rate = 0; ///< at the epoch's last step
  double train_loss = 0, validation_loss = 0, seconds = 0;
  double train_seconds = 0;  ///< of `seconds`, the training steps (no validation, no I/O)
  /// Global gradient norm before clipping: median and maximum over the epoch's steps.
  double grad_norm_median = 0, grad_norm_max = 0;
  /// Free validation rollouts from φ₀ over all frames: share of pixels outside
  /// [−0.05, 1.05] and the extreme values (the model's physical range).
  double validation_outside = 0, validation_phi_min = 0, validation_phi_max = 0;
};

/// Runs training; writes <out>/best.pt, <out>/latest.pt, <out>/history.csv and
/// <out>/config.json after every epoch, and <out>/loss.png (scripts/plots.py, optional)
/// when the run ends or stops on a NaN loss. Throws csd::Error on bad input or NaN loss.
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

/// Bytes a CPU rollout of the checkpoint's model holds on an n×n grid for `frames`
/// frames: the conv-GRU activations (≈ 40 B per pixel per hidden channel and layer)
/// and the kept frames with their copies (≈ 16 B per pixel and frame); measured with
/// /usr/bin/time at 256²–1024² (docs/numerics.md). For memory checks before a run.
double rollout_bytes(const std::string& checkpoint, int n, int frames);

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
