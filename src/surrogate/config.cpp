// Model and training configuration: JSON sections "model" and "train" (keys equal the
// member names, unknown keys are errors), validation and the curriculum schedule.
// Torch-free.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "csd/core/error.h"
#include "csd/surrogate/surrogate.h"

namespace csd::surrogate {
namespace {

std::string str(double value) { return fmt::format("{}", value); }

}  // namespace

// ---- ModelConfig ------------------------------------------------------------------

void ModelConfig::validate() const {
  require(hidden >= 1 && hidden <= 1024,
          "model.hidden = " + std::to_string(hidden) + " must be in [1, 1024]");
  require(kernel >= 1 && kernel <= 15 && kernel % 2 == 1,
          "model.kernel = " + std::to_string(kernel) + " must be odd and in [1, 15]");
  require(layers >= 1 && layers <= 8,
          "model.layers = " + std::to_string(layers) + " must be in [1, 8]");
  require(std::isfinite(eta_scale) && eta_scale > 0,
          "model.eta_scale = " + str(eta_scale) + " must be a positive number (100 = η in percent)");
  require(std::isfinite(output_scale) && output_scale > 0,
          "model.output_scale = " + str(output_scale) + " must be a positive number");
}

const OptionTable<ModelConfig>& model_options() {
  using M = ModelConfig;
  static const OptionTable<M> table = {
      {"hidden", "hidden channels per conv-GRU cell [24]", [](M& m) -> OptionRef { return &m.hidden; }},
      {"kernel", "convolution kernel size, odd [5]", [](M& m) -> OptionRef { return &m.kernel; }},
      {"layers", "stacked conv-GRU cells [2]", [](M& m) -> OptionRef { return &m.layers; }},
      {"eta_scale", "eta channel = eta * eta_scale [100: eta in percent]",
       [](M& m) -> OptionRef { return &m.eta_scale; }},
      {"output_scale", "mu~ = output_scale * (w . features) [0.25]",
       [](M& m) -> OptionRef { return &m.output_scale; }},
  };
  return table;
}

Json ModelConfig::to_json() const { return options_to_json(model_options(), *this); }

ModelConfig ModelConfig::from_json(const Json& section) {
  ModelConfig c;
  read_options(section, "model", model_options(), c);
  return c;
}

// ---- TrainConfig ------------------------------------------------------------------

namespace {

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (value == a) return true;
  return false;
}

}  // namespace

void TrainConfig::validate() const {
  require(!data.empty(), "no training data: give --data FILE.h5 (train.data)");
  require(!out.empty(), "no output directory: give --out DIR (train.out)");
  require(epochs >= 1, "train.epochs = " + std::to_string(epochs) + " must be >= 1");
  require(batch_size >= 1, "train.batch_size = " + std::to_string(batch_size) + " must be >= 1");
  require(std::isfinite(learning_rate) && learning_rate > 0,
          "train.learning_rate = " + str(learning_rate) + " must be > 0");
  require(one_of(scheme, {"rollout", "curriculum"}),
          "train.scheme = '" + scheme + "' must be rollout or curriculum");
  require(one_of(loss_weights, {"auto", "fixed"}),
          "train.loss_weights = '" + loss_weights + "' must be auto or fixed");
  require(std::isfinite(lambda_grad) && lambda_grad >= 0,
          "train.lambda_grad = " + str(lambda_grad) + " must be >= 0");
  require(std::isfinite(lambda_f) && lambda_f >= 0,
          "train.lambda_f = " + str(lambda_f) + " must be >= 0");
  require(std::isfinite(grad_clip) && grad_clip >= 0,
          "train.grad_clip = " + str(grad_clip) + " must be >= 0 (0 = no clipping)");
  require(std::isfinite(input_noise) && input_noise >= 0,
          "train.input_noise = " + str(input_noise) + " must be >= 0");
  require(one_of(loss_balance, {"none", "persistence", "frame"}),
          "train.loss_balance = '" + loss_balance + "' must be none, persistence or frame");
  require(std::isfinite(balance_floor) && balance_floor > 0,
          "train.balance_floor = " + str(balance_floor) + " must be > 0");
  require(one_of(lr_schedule, {"constant", "cosine", "warmup_cosine"}),
          "train.lr_schedule = '" + lr_schedule + "' must be constant, cosine or warmup_cosine");
  require(std::isfinite(lr_final) && lr_final > 0 && lr_final <= 1,
          "train.lr_final = " + str(lr_final) + " must be in (0, 1] (a fraction of learning_rate)");
  require(warmup_steps >= 0, "train.warmup_steps = " + std::to_string(warmup_steps) + " must be >= 0");
  require(curriculum_epochs >= 0,
          "train.curriculum_epochs = " + std::to_string(curriculum_epochs) + " must be >= 0");
  require(std::isfinite(cold_fraction) && cold_fraction >= 0 && cold_fraction <= 1,
          "train.cold_fraction = " + str(cold_fraction) + " must be in [0, 1]");
  require(warmup_min >= 1 && warmup_max >= warmup_min,
          fmt::format("train.warmup_min/max = {}/{} must satisfy 1 <= min <= max", warmup_min,
                      warmup_max));
  require(loss_frames_start >= 1 && loss_frames_end >= 1,
          fmt::format("train.loss_frames_start/end = {}/{} must be >= 1", loss_frames_start,
                      loss_frames_end));
  require(std::isfinite(loss_frames_ramp) && loss_frames_ramp >= 0 && loss_frames_ramp <= 1,
          "train.loss_frames_ramp = " + str(loss_frames_ramp) + " must be in [0, 1]");
  require(pushforward_cold >= 0 && pushforward_warm >= 0,
          "train.pushforward_cold/warm must be >= 0");
  require(std::isfinite(energy_penalty) && energy_penalty >= 0,
          fmt::format("train.energy_penalty = {:g} must be >= 0 (0 = off)", energy_penalty));
  require(energy_penalty == 0 || scheme == "rollout",
          "train.energy_penalty needs scheme \"rollout\" (the curriculum has no window to extend)");
  require(energy_frames >= 0 && (energy_frames == 0 || energy_penalty > 0),
          fmt::format("train.energy_frames = {} must be >= 0, and needs energy_penalty > 0 "
                      "(only the penalty sees those frames)",
                      energy_frames));
  require(std::isfinite(range_penalty) && range_penalty >= 0,
          fmt::format("train.range_penalty = {:g} must be a finite number >= 0 (0 = off)", range_penalty));
  require(range_penalty == 0 || scheme == "rollout",
          "train.range_penalty needs scheme \"rollout\" (it prices free-rollout predictions)");
  require(std::isfinite(validation_fraction) && validation_fraction > 0 &&
              validation_fraction < 1,
          "train.validation_fraction = " + str(validation_fraction) +
              " must be in (0, 1) (0.2 = the paper's 4:1 split)");
  require(max_frames == 0 || max_frames >= 2,
          "train.max_frames = " + std::to_string(max_frames) + " must be 0 (all) or >= 2");
  require(max_sequences == 0 || max_sequences >= 2,
          "train.max_sequences = " + std::to_string(max_sequences) +
              " must be 0 (all) or >= 2 (one for training, one for validation)");
  require(keep_every >= 0, "train.keep_every = " + std::to_string(keep_every) + " must be >= 0");
  require(one_of(device, {"auto", "cpu", "cuda"}),
          "train.device = '" + device + "' must be auto, cpu or cuda");
  require(threads >= 0, "train.threads = " + std::to_string(threads) + " must be >= 0 (0 = all cores)");
  require(one_of(dist_backend, {"auto", "gloo", "nccl"}),
          "train.dist_backend = '" + dist_backend + "' must be auto, gloo or nccl");
  require(dist_timeout >= 1, "train.dist_timeout = " + std::to_string(dist_timeout) +
                                 " must be >= 1 second");
  require(!(resume && overwrite),
          "--resume continues the run in --out and --overwrite replaces it: give one of them");
  model.validate();
}

const OptionTable<TrainConfig>& train_options() {
  using T = TrainConfig;
  static const OptionTable<T> table = {
      {"data", "training dataset (HDF5 from csd generate)", [](T& t) -> OptionRef { return &t.data; }},
      {"out", "output directory", [](T& t) -> OptionRef { return &t.out; }, {}, "-o"},
      {"init_from", "start from the weights of this checkpoint (same architecture and physics), e.g. a first stage", [](T& t) -> OptionRef { return &t.init_from; }},
      {"epochs", "epochs [100]", [](T& t) -> OptionRef { return &t.epochs; }},
      {"batch_size", "sequences per batch [8]", [](T& t) -> OptionRef { return &t.batch_size; }},
      {"learning_rate", "Adam learning rate [1e-3]", [](T& t) -> OptionRef { return &t.learning_rate; }, {}, "--lr"},
      {"scheme", "rollout (windows, the default recipe) | curriculum (the paper's teacher forcing) [rollout]", [](T& t) -> OptionRef { return &t.scheme; }, {"rollout", "curriculum"}},
      {"loss_weights", "auto (each term a third of the loss of 'nothing changes') | fixed (lambda_grad, lambda_f) [auto]", [](T& t) -> OptionRef { return &t.loss_weights; }, {"auto", "fixed"}},
      {"lambda_grad", "lambda of the gradient term with loss_weights fixed [60]", [](T& t) -> OptionRef { return &t.lambda_grad; }},
      {"lambda_f", "lambda of the <f> term with loss_weights fixed [150]", [](T& t) -> OptionRef { return &t.lambda_f; }},
      {"input_noise", "sigma of the mean-free input noise [5e-3]", [](T& t) -> OptionRef { return &t.input_noise; }},
      {"noise_feedback", "noise also on the predictions fed back [true]", [](T& t) -> OptionRef { return &t.noise_feedback; }},
      {"loss_balance", "none | persistence | frame: weigh each sequence's (frame: each predicted frame's) loss by 1 / (loss of 'nothing changes' + balance_floor) [none, as in the paper]", [](T& t) -> OptionRef { return &t.loss_balance; }, {"none", "persistence", "frame"}},
      {"balance_floor", "floor added to the persistence loss [1e-4]", [](T& t) -> OptionRef { return &t.balance_floor; }},
      {"grad_clip", "clip the global gradient norm (0 = off) [1]", [](T& t) -> OptionRef { return &t.grad_clip; }},
      {"curriculum_epochs", "curriculum: epochs over which given frames ramp from T-1 to 1 [20]", [](T& t) -> OptionRef { return &t.curriculum_epochs; }},
      {"cold_fraction", "rollout: share of batches that start at phi_0 with a zero state [0.25]", [](T& t) -> OptionRef { return &t.cold_fraction; }},
      {"warmup_min", "rollout: fewest true warm-up frames of a warm batch [2]", [](T& t) -> OptionRef { return &t.warmup_min; }},
      {"warmup_max", "rollout: most true warm-up frames of a warm batch [10]", [](T& t) -> OptionRef { return &t.warmup_max; }},
      {"loss_frames_start", "rollout: frames in the loss at the first step [4]", [](T& t) -> OptionRef { return &t.loss_frames_start; }},
      {"loss_frames_end", "rollout: frames in the loss after the ramp, the horizon H [20]", [](T& t) -> OptionRef { return &t.loss_frames_end; }},
      {"loss_frames_ramp", "rollout: share of all steps over which the loss frames grow [0.7]", [](T& t) -> OptionRef { return &t.loss_frames_ramp; }},
      {"pushforward_cold", "rollout: cold batches run U{0..this} free steps without gradient first [0]", [](T& t) -> OptionRef { return &t.pushforward_cold; }},
      {"pushforward_warm", "rollout: warm batches run U{0..this} free steps without gradient first [0]", [](T& t) -> OptionRef { return &t.pushforward_warm; }},
      {"energy_penalty", "weight of the penalty on free-energy increases (0 = off) [0]", [](T& t) -> OptionRef { return &t.energy_penalty; }},
      {"energy_frames", "unsupervised frames after the loss frames that only the energy penalty sees [0]", [](T& t) -> OptionRef { return &t.energy_frames; }},
      {"range_penalty", "weight of the penalty on predicted phi outside [-0.02, 1.02] (0 = off) [0]", [](T& t) -> OptionRef { return &t.range_penalty; }},
      {"lr_schedule", "warmup_cosine: per step, warmup_steps of linear warm-up, then half a cosine to lr_final x lr | cosine: per epoch, after the curriculum | constant [warmup_cosine]", [](T& t) -> OptionRef { return &t.lr_schedule; }, {"constant", "cosine", "warmup_cosine"}},
      {"lr_final", "cosine schedules: final learning rate as a fraction of the learning rate [0.05]", [](T& t) -> OptionRef { return &t.lr_final; }},
      {"warmup_steps", "warmup_cosine: Adam steps of linear warm-up [50]", [](T& t) -> OptionRef { return &t.warmup_steps; }},
      {"validation_fraction", "share of sequences held out for validation [0.2]", [](T& t) -> OptionRef { return &t.validation_fraction; }},
      {"augment", "8 square symmetries and phi -> 1-phi [true]", [](T& t) -> OptionRef { return &t.augment; }},
      {"max_frames", "use only the first frames of each sequence [0 = all]", [](T& t) -> OptionRef { return &t.max_frames; }},
      {"max_sequences", "use only the first sequences [0 = all]", [](T& t) -> OptionRef { return &t.max_sequences; }},
      {"keep_every", "also keep OUT/epoch-NNNN.pt every this many epochs [0 = no]", [](T& t) -> OptionRef { return &t.keep_every; }},
      {"seed", "seed of split, windows, augmentation, noise [1]", [](T& t) -> OptionRef { return &t.seed; }},
      {"device", "auto | cpu | cuda [auto]", [](T& t) -> OptionRef { return &t.device; }, {"auto", "cpu", "cuda"}},
      {"threads", "CPU threads [0 = all cores]", [](T& t) -> OptionRef { return &t.threads; }},
      {"dist_backend", "collectives of multi-process training: auto (gloo on CPU, nccl on CUDA) | gloo | nccl [auto]", [](T& t) -> OptionRef { return &t.dist_backend; }, {"auto", "gloo", "nccl"}},
      {"dist_timeout", "seconds a rank waits for the others (rendezvous, each all-reduce) before it fails [600]", [](T& t) -> OptionRef { return &t.dist_timeout; }},
      {"resume", "continue from OUT/latest.pt", [](T& t) -> OptionRef { return &t.resume; }},
      {"overwrite", "start a new run in an OUT that holds an earlier one (latest.pt, best.pt), replacing its files", [](T& t) -> OptionRef { return &t.overwrite; }},
  };
  return table;
}

Json TrainConfig::to_json() const {
  return Json{{"train", options_to_json(train_options(), *this)}, {"model", model.to_json()}};
}

TrainConfig TrainConfig::from_json(const Json& config) {
  require(config.is_object(), "a training config must be a JSON object");
  TrainConfig c;
  read_options(section_or_empty(config, "train"), "train", train_options(), c);
  c.model = ModelConfig::from_json(section_or_empty(config, "model"));
  return c;
}

// ---- curriculum -------------------------------------------------------------------

int given_frames(int epoch, int frames, int ramp_epochs) {
  require(frames >= 2, "a training sequence needs at least 2 frames");
  if (ramp_epochs <= 1 || epoch >= ramp_epochs) return 1;
  const int most = frames - 1;
  if (epoch <= 1) return most;
  // Linear from T−1 at epoch 1 to 1 at epoch `ramp_epochs`, rounded to whole frames.
  const double fraction = static_cast<double>(epoch - 1) / (ramp_epochs - 1);
  const long value = std::lround(most - (most - 1) * fraction);
  return static_cast<int>(std::clamp<long>(value, 1, most));
}

double learning_rate_at(int epoch, const TrainConfig& config) {
  // warmup_cosine is per step (learning_rate_at_step); per epoch it reads as constant.
  if (config.lr_schedule != "cosine") return config.learning_rate;
  const int plateau = std::max(config.curriculum_epochs, 1);
  if (epoch <= plateau || config.epochs <= plateau) return config.learning_rate;
  const double progress =
      std::min(1.0, static_cast<double>(epoch - plateau) / (config.epochs - plateau));
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
  return config.learning_rate * (config.lr_final + (1.0 - config.lr_final) * cosine);
}

}  // namespace csd::surrogate

namespace csd::surrogate {

double learning_rate_at_step(long step, long total_steps, const TrainConfig& config) {
  if (config.lr_schedule != "warmup_cosine") return config.learning_rate;
  const long warmup = config.warmup_steps;
  if (step < warmup) return config.learning_rate * static_cast<double>(step + 1) / warmup;
  const long span = std::max(1L, total_steps - 1 - warmup);
  const double progress = std::clamp(static_cast<double>(step - warmup) / span, 0.0, 1.0);
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
  return config.learning_rate * (config.lr_final + (1.0 - config.lr_final) * cosine);
}

int loss_frames_at(long step, long total_steps, const TrainConfig& config) {
  const double ramp_steps = config.loss_frames_ramp * static_cast<double>(total_steps);
  const double progress = ramp_steps > 0 ? std::min(1.0, step / ramp_steps) : 1.0;
  return static_cast<int>(std::lround(config.loss_frames_start +
                                      (config.loss_frames_end - config.loss_frames_start) * progress));
}

}  // namespace csd::surrogate
