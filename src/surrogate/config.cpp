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

Json ModelConfig::to_json() const {
  return Json{{"hidden", hidden}, {"kernel", kernel}, {"layers", layers}, {"eta_scale", eta_scale},
              {"output_scale", output_scale}};
}

ModelConfig ModelConfig::from_json(const Json& section) {
  const std::string name = "model";
  reject_unknown_keys(section, {"hidden", "kernel", "layers", "eta_scale", "output_scale"}, name);
  ModelConfig c;
  read_key(section, "hidden", c.hidden, name);
  read_key(section, "kernel", c.kernel, name);
  read_key(section, "layers", c.layers, name);
  read_key(section, "eta_scale", c.eta_scale, name);
  read_key(section, "output_scale", c.output_scale, name);
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
  require(one_of(loss_balance, {"none", "persistence"}),
          "train.loss_balance = '" + loss_balance + "' must be none or persistence");
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
  require(!(resume && overwrite),
          "--resume continues the run in --out and --overwrite replaces it: give one of them");
  model.validate();
}

Json TrainConfig::to_json() const {
  Json train{{"data", data},
             {"out", out},
             {"init_from", init_from},
             {"epochs", epochs},
             {"batch_size", batch_size},
             {"learning_rate", learning_rate},
             {"scheme", scheme},
             {"loss_weights", loss_weights},
             {"lambda_grad", lambda_grad},
             {"lambda_f", lambda_f},
             {"input_noise", input_noise},
             {"noise_feedback", noise_feedback},
             {"loss_balance", loss_balance},
             {"balance_floor", balance_floor},
             {"grad_clip", grad_clip},
             {"curriculum_epochs", curriculum_epochs},
             {"cold_fraction", cold_fraction},
             {"warmup_min", warmup_min},
             {"warmup_max", warmup_max},
             {"loss_frames_start", loss_frames_start},
             {"loss_frames_end", loss_frames_end},
             {"loss_frames_ramp", loss_frames_ramp},
             {"pushforward_cold", pushforward_cold},
             {"pushforward_warm", pushforward_warm},
             {"energy_penalty", energy_penalty},
             {"energy_frames", energy_frames},
             {"lr_schedule", lr_schedule},
             {"lr_final", lr_final},
             {"warmup_steps", warmup_steps},
             {"validation_fraction", validation_fraction},
             {"augment", augment},
             {"max_frames", max_frames},
             {"max_sequences", max_sequences},
             {"keep_every", keep_every},
             {"seed", seed},
             {"device", device},
             {"threads", threads},
             {"resume", resume},
             {"overwrite", overwrite}};
  return Json{{"train", train}, {"model", model.to_json()}};
}

TrainConfig TrainConfig::from_json(const Json& config) {
  require(config.is_object(), "a training config must be a JSON object");
  const std::string name = "train";
  const Json train = section_or_empty(config, name);
  // One list of keys: every key of to_json() is readable and nothing else is.
  const Json defaults = TrainConfig().to_json().at(name);
  std::vector<std::string> keys;
  for (const auto& item : defaults.items()) keys.push_back(item.key());
  reject_unknown_keys(train, keys, name);
  TrainConfig c;
  read_key(train, "data", c.data, name);
  read_key(train, "out", c.out, name);
  read_key(train, "init_from", c.init_from, name);
  read_key(train, "epochs", c.epochs, name);
  read_key(train, "batch_size", c.batch_size, name);
  read_key(train, "learning_rate", c.learning_rate, name);
  read_key(train, "scheme", c.scheme, name);
  read_key(train, "loss_weights", c.loss_weights, name);
  read_key(train, "lambda_grad", c.lambda_grad, name);
  read_key(train, "lambda_f", c.lambda_f, name);
  read_key(train, "input_noise", c.input_noise, name);
  read_key(train, "noise_feedback", c.noise_feedback, name);
  read_key(train, "loss_balance", c.loss_balance, name);
  read_key(train, "balance_floor", c.balance_floor, name);
  read_key(train, "grad_clip", c.grad_clip, name);
  read_key(train, "curriculum_epochs", c.curriculum_epochs, name);
  read_key(train, "cold_fraction", c.cold_fraction, name);
  read_key(train, "warmup_min", c.warmup_min, name);
  read_key(train, "warmup_max", c.warmup_max, name);
  read_key(train, "loss_frames_start", c.loss_frames_start, name);
  read_key(train, "loss_frames_end", c.loss_frames_end, name);
  read_key(train, "loss_frames_ramp", c.loss_frames_ramp, name);
  read_key(train, "pushforward_cold", c.pushforward_cold, name);
  read_key(train, "pushforward_warm", c.pushforward_warm, name);
  read_key(train, "energy_penalty", c.energy_penalty, name);
  read_key(train, "energy_frames", c.energy_frames, name);
  read_key(train, "lr_schedule", c.lr_schedule, name);
  read_key(train, "lr_final", c.lr_final, name);
  read_key(train, "warmup_steps", c.warmup_steps, name);
  read_key(train, "validation_fraction", c.validation_fraction, name);
  read_key(train, "augment", c.augment, name);
  read_key(train, "max_frames", c.max_frames, name);
  read_key(train, "max_sequences", c.max_sequences, name);
  read_key(train, "keep_every", c.keep_every, name);
  read_key(train, "seed", c.seed, name);
  read_key(train, "device", c.device, name);
  read_key(train, "threads", c.threads, name);
  read_key(train, "resume", c.resume, name);
  read_key(train, "overwrite", c.overwrite, name);
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
