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

void TrainConfig::validate() const {
  require(!data.empty(), "no training data: give --data FILE.h5 (train.data)");
  require(!out.empty(), "no output directory: give --out DIR (train.out)");
  require(epochs >= 1, "train.epochs = " + std::to_string(epochs) + " must be >= 1");
  require(batch_size >= 1, "train.batch_size = " + std::to_string(batch_size) + " must be >= 1");
  require(std::isfinite(learning_rate) && learning_rate > 0,
          "train.learning_rate = " + str(learning_rate) + " must be > 0");
  require(std::isfinite(lambda_grad) && lambda_grad >= 0,
          "train.lambda_grad = " + str(lambda_grad) + " must be >= 0");
  require(std::isfinite(lambda_f) && lambda_f >= 0,
          "train.lambda_f = " + str(lambda_f) + " must be >= 0");
  require(std::isfinite(grad_clip) && grad_clip >= 0,
          "train.grad_clip = " + str(grad_clip) + " must be >= 0 (0 = no clipping)");
  require(std::isfinite(input_noise) && input_noise >= 0,
          "train.input_noise = " + str(input_noise) + " must be >= 0");
  require(loss_balance == "none" || loss_balance == "persistence",
          "train.loss_balance = '" + loss_balance + "' must be none or persistence");
  require(std::isfinite(balance_floor) && balance_floor > 0,
          "train.balance_floor = " + str(balance_floor) + " must be > 0");
  require(lr_schedule == "constant" || lr_schedule == "cosine",
          "train.lr_schedule = '" + lr_schedule + "' must be constant or cosine");
  require(std::isfinite(lr_final) && lr_final > 0 && lr_final <= 1,
          "train.lr_final = " + str(lr_final) + " must be in (0, 1] (a fraction of learning_rate)");
  require(curriculum_epochs >= 0,
          "train.curriculum_epochs = " + std::to_string(curriculum_epochs) + " must be >= 0");
  require(std::isfinite(validation_fraction) && validation_fraction > 0 &&
              validation_fraction < 1,
          "train.validation_fraction = " + str(validation_fraction) +
              " must be in (0, 1) (0.2 = the paper's 4:1 split)");
  require(max_frames == 0 || max_frames >= 2,
          "train.max_frames = " + std::to_string(max_frames) + " must be 0 (all) or >= 2");
  require(max_sequences == 0 || max_sequences >= 2,
          "train.max_sequences = " + std::to_string(max_sequences) +
              " must be 0 (all) or >= 2 (one for training, one for validation)");
  require(device == "auto" || device == "cpu" || device == "cuda",
          "train.device = '" + device + "' must be auto, cpu or cuda");
  require(threads >= 0, "train.threads = " + std::to_string(threads) + " must be >= 0 (0 = all cores)");
  model.validate();
}

Json TrainConfig::to_json() const {
  Json train{{"data", data},
             {"out", out},
             {"epochs", epochs},
             {"batch_size", batch_size},
             {"learning_rate", learning_rate},
             {"lambda_grad", lambda_grad},
             {"lambda_f", lambda_f},
             {"input_noise", input_noise},
             {"loss_balance", loss_balance},
             {"balance_floor", balance_floor},
             {"grad_clip", grad_clip},
             {"curriculum_epochs", curriculum_epochs},
             {"lr_schedule", lr_schedule},
             {"lr_final", lr_final},
             {"validation_fraction", validation_fraction},
             {"augment", augment},
             {"max_frames", max_frames},
             {"max_sequences", max_sequences},
             {"seed", seed},
             {"device", device},
             {"threads", threads},
             {"resume", resume}};
  return Json{{"train", train}, {"model", model.to_json()}};
}

TrainConfig TrainConfig::from_json(const Json& config) {
  require(config.is_object(), "a training config must be a JSON object");
  const std::string name = "train";
  const Json train = section_or_empty(config, name);
  reject_unknown_keys(train,
                      {"data", "out", "epochs", "batch_size", "learning_rate", "lambda_grad",
                       "lambda_f", "input_noise", "loss_balance", "balance_floor", "grad_clip", "curriculum_epochs", "lr_schedule",
                       "lr_final", "validation_fraction",
                       "augment", "max_frames", "max_sequences", "seed", "device", "threads",
                       "resume"},
                      name);
  TrainConfig c;
  read_key(train, "data", c.data, name);
  read_key(train, "out", c.out, name);
  read_key(train, "epochs", c.epochs, name);
  read_key(train, "batch_size", c.batch_size, name);
  read_key(train, "learning_rate", c.learning_rate, name);
  read_key(train, "lambda_grad", c.lambda_grad, name);
  read_key(train, "lambda_f", c.lambda_f, name);
  read_key(train, "input_noise", c.input_noise, name);
  read_key(train, "loss_balance", c.loss_balance, name);
  read_key(train, "balance_floor", c.balance_floor, name);
  read_key(train, "grad_clip", c.grad_clip, name);
  read_key(train, "curriculum_epochs", c.curriculum_epochs, name);
  read_key(train, "lr_schedule", c.lr_schedule, name);
  read_key(train, "lr_final", c.lr_final, name);
  read_key(train, "validation_fraction", c.validation_fraction, name);
  read_key(train, "augment", c.augment, name);
  read_key(train, "max_frames", c.max_frames, name);
  read_key(train, "max_sequences", c.max_sequences, name);
  read_key(train, "seed", c.seed, name);
  read_key(train, "device", c.device, name);
  read_key(train, "threads", c.threads, name);
  read_key(train, "resume", c.resume, name);
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
  if (config.lr_schedule == "constant") return config.learning_rate;
  const int plateau = std::max(config.curriculum_epochs, 1);
  if (epoch <= plateau || config.epochs <= plateau) return config.learning_rate;
  const double progress =
      std::min(1.0, static_cast<double>(epoch - plateau) / (config.epochs - plateau));
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
  return config.learning_rate * (config.lr_final + (1.0 - config.lr_final) * cosine);
}

}  // namespace csd::surrogate
