// Training of the conv-GRU surrogate (paper Sec. 2.3; docs/training.md): Adam on the
// loss of Eq. 11–12, either on rollout windows (scheme "rollout": warm-up, pushforward,
// free predictions with noise fed back) or with the paper's teacher-forced curriculum;
// validation always from φ₀ alone, atomic checkpoints every epoch and exact resume (all
// randomness is derived from (seed, epoch, batch); see data.h). Data-parallel over
// several processes (distributed.h): each rank takes a slice of every global batch with
// the randomness of its items' places in it, so any number of ranks follows the same
// trajectory as one, and a run resumes on another number of ranks.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

#include "checkpoint.h"
#include "csd/core/error.h"
#include "csd/core/hash.h"
#include "csd/core/progress.h"
#include "csd/evaluation/plots.h"
#include "csd/io/csv.h"
#include "csd/io/fs.h"
#include "csd/io/lock.h"
#include "csd/surrogate/surrogate.h"
#include "data.h"
#include "device.h"
#include "distributed.h"
#include "loss.h"
#include "model.h"
#include "training_step.h"

namespace csd::surrogate {
namespace {

using detail::Crnn;

struct OutputPaths {
  std::string latest, best, history, config;
};

/// Creates the output folder and locks it for this run's lifetime: a second `csd train`
/// into the same folder fails at once instead of mixing two runs' files. Only rank 0
/// writes, so only rank 0 locks.
std::optional<io::ExclusiveLock> lock_output(const TrainConfig& config, bool writer) {
  if (!writer) return std::nullopt;
  io::ensure_directory(config.out);
  return io::ExclusiveLock(config.out);
}

OutputPaths prepare_output(const TrainConfig& config, bool writer) {
  const std::string& dir = config.out;
  OutputPaths p{dir + "/latest.pt", dir + "/best.pt", dir + "/history.csv", dir + "/config.json"};
  if (!writer) return p;  // the other ranks read latest.pt on --resume, nothing more
  io::ensure_directory(dir);
  io::require_writable_parent(p.latest);
  if (config.resume || config.overwrite) return p;
  require(!io::file_exists(p.latest),
          "output directory '" + dir + "' already holds a training run (latest.pt); use "
          "--resume to continue it, --overwrite to replace it, or choose a new --out");
  // best.pt without latest.pt (e.g. latest.pt deleted by hand to save space) cannot be
  // resumed, and a new run would silently replace it at its first epoch.
  require(!io::file_exists(p.best),
          "output directory '" + dir + "' already holds best.pt of an earlier run (but no "
          "latest.pt to resume from); use --overwrite to replace it or choose a new --out");
  return p;
}

const TrainConfig& validated(const TrainConfig& config) {
  config.validate();
  detail::configure_cpu_runtime(config.threads);
  return config;
}

/// FNV-1a 64 of the dataset's config attribute: identifies the data in checkpoints.
std::string fingerprint(const std::string& text) {
  Fnv1a64 h;
  h.add(text);
  return h.hex();
}

Json data_provenance(const TrainConfig& config, const detail::SequenceSource& source) {
  const auto& info = source.info();
  return Json{{"path", config.data},
              {"sequences", info.shape.sequences},
              {"frames", info.shape.frames},
              {"size", info.shape.size},
              {"used_sequences", source.sequences()},
              {"used_frames", source.frames()},
              {"config_fnv1a64", fingerprint(info.config_json)},
              {"config_head", info.config_json.substr(0, 200)},
              {"csd_version", info.csd_version},
              {"source", info.source}};
}

Json history_json(const std::vector<EpochRecord>& history) {
  Json list = Json::array();
  for (const auto& r : history)
    list.push_back(Json{{"epoch", r.epoch},
                        {"given_frames", r.given_frames},
                        {"loss_frames", r.loss_frames},
                        {"learning_rate", r.learning_rate},
                        {"train_loss", r.train_loss},
                        {"validation_loss", r.validation_loss},
                        {"validation_outside", r.validation_outside},
                        {"validation_phi_min", r.validation_phi_min},
                        {"validation_phi_max", r.validation_phi_max},
                        {"seconds", r.seconds},
                        {"train_seconds", r.train_seconds},
                        {"grad_norm_median", r.grad_norm_median},
                        {"grad_norm_max", r.grad_norm_max}});
  return list;
}

std::vector<EpochRecord> history_from_json(const Json& list) {
  std::vector<EpochRecord> history;
  for (const auto& j : list) {
    EpochRecord r;
    r.epoch = j.at("epoch").get<int>();
    r.given_frames = j.at("given_frames").get<int>();
    r.loss_frames = j.value("loss_frames", 0);
    r.learning_rate = j.value("learning_rate", 0.0);
    r.validation_outside = j.value("validation_outside", 0.0);
    r.validation_phi_min = j.value("validation_phi_min", 0.0);
    r.validation_phi_max = j.value("validation_phi_max", 0.0);
    r.train_seconds = j.value("train_seconds", 0.0);
    r.grad_norm_median = j.value("grad_norm_median", 0.0);
    r.grad_norm_max = j.value("grad_norm_max", 0.0);
    r.train_loss = j.at("train_loss").get<double>();
    r.validation_loss = j.at("validation_loss").get<double>();
    r.seconds = j.at("seconds").get<double>();
    history.push_back(r);
  }
  return history;
}

/// Train keys that define the data stream and the objective: a resumed run must match
/// them. The learning rate (and its schedule) may change on resume (the remedy after a divergence); the
/// run is then no longer identical to an uninterrupted one, which is logged.
constexpr const char* kTrajectoryKeys[] = {
    "batch_size",        "lambda_grad",      "lambda_f",         "input_noise",
    "curriculum_epochs", "validation_fraction", "augment",       "max_frames",
    "max_sequences",     "seed",             "grad_clip",        "scheme",
    "loss_weights",      "noise_feedback",   "cold_fraction",    "warmup_min",
    "warmup_max",        "loss_frames_start", "loss_frames_end", "loss_frames_ramp",
    "pushforward_cold",  "pushforward_warm", "init_from",        "energy_penalty",
    "energy_frames",     "range_penalty"};

/// The training keys of a checkpoint written before a key existed: the paper's
/// curriculum with fixed weights and noise on given frames only.
Json legacy_train_json() {
  TrainConfig legacy;
  legacy.scheme = "curriculum";
  legacy.loss_weights = "fixed";
  legacy.noise_feedback = false;
  legacy.grad_clip = 0.0;
  legacy.input_noise = 1e-3;
  legacy.lr_schedule = "constant";
  return legacy.to_json().at("train");
}

/// Keys of the objective that a resume may change, e.g. to fine-tune a model trained
/// with the paper's loss under the balanced one. The best validation loss of the earlier
/// objective is then not comparable, so best.pt restarts from the resumed epoch.
constexpr const char* kObjectiveKeys[] = {"loss_balance", "balance_floor"};

/// Checks that `config` may continue the run of checkpoint `meta`; returns whether the
/// objective changed.
bool require_resumable(const Json& meta, const TrainConfig& config, const Json& provenance,
                       const std::string& path) {
  const std::string advice = "; resume with the configuration of the interrupted run or start "
                             "a new --out";
  require(meta.value("model", Json()) == config.model.to_json(),
          "checkpoint '" + path + "' was trained with model " + meta.value("model", Json()).dump() +
              " but the config asks for " + config.model.to_json().dump() + advice);
  const Json train = config.to_json().at("train");
  Json saved = legacy_train_json();
  saved.update(meta.value("train", Json::object()));
  for (const char* key : kTrajectoryKeys)
    require(saved.value(key, Json()) == train.at(key),
            std::string("cannot resume from '") + path + "': train." + key + " was " +
                saved.value(key, Json()).dump() + ", now " + train.at(key).dump() + advice);
  // The loss-frame ramp is spread over all steps of the run: another epoch count would
  // change the frames (and so the windows) of every later step.
  const bool ramped = config.scheme == "rollout" && config.loss_frames_ramp > 0 &&
                      config.loss_frames_start != config.loss_frames_end;
  require(!ramped || saved.value("epochs", Json()) == train.at("epochs"),
          std::string("cannot resume from '") + path + "': train.epochs was " +
              saved.value("epochs", Json()).dump() + ", now " + train.at("epochs").dump() +
              ", and the loss frames ramp over all steps of the run (loss_frames_start " +
              std::to_string(config.loss_frames_start) + " -> end " +
              std::to_string(config.loss_frames_end) + ")" + advice +
              " (or continue with init_from)");
  for (const char* key : {"learning_rate", "lr_schedule", "lr_final", "warmup_steps", "epochs"})
    if (saved.value(key, Json()) != train.at(key))
      spdlog::warn("resuming with train.{} = {} instead of {}", key, train.at(key).dump(),
                   saved.value(key, Json()).dump());
  bool objective_changed = false;
  for (const char* key : kObjectiveKeys) {
    const Json& before = saved.at(key);
    if (before != train.at(key)) {
      spdlog::warn("resuming with train.{} = {} instead of {}: the objective changes, best.pt "
                   "restarts from here",
                   key, train.at(key).dump(), before.dump());
      objective_changed = true;
    }
  }
  const Json data = meta.value("data", Json::object());
  for (const char* key : {"sequences", "frames", "size", "config_fnv1a64", "used_sequences",
                          "used_frames"})
    require(data.value(key, Json()) == provenance.at(key),
            std::string("cannot resume from '") + path + "': the dataset differs (" + key + " " +
                data.value(key, Json()).dump() + " vs " + provenance.at(key).dump() +
                "); train on the same data or start a new --out");
  return objective_changed;
}

/// Ranks other than 0 log warnings and errors only: one progress log per run.
class QuietRank {
 public:
  explicit QuietRank(bool root) : level_(spdlog::get_level()) {
    if (!root && level_ < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  }
  ~QuietRank() { spdlog::set_level(level_); }
  QuietRank(const QuietRank&) = delete;
  QuietRank& operator=(const QuietRank&) = delete;

 private:
  spdlog::level::level_enum level_;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Trainer {
 public:
  /// Makes no collective call: a rank that fails here must not leave the others waiting
  /// in one (train() lets the ranks agree that all started first).
  Trainer(const TrainConfig& config, const torch::Device& device, detail::Communicator& comm)
      : comm_(comm),
        config_(validated(config)),
        output_lock_(lock_output(config_, comm_.root())),
        paths_(prepare_output(config_, comm_.root())),
        device_(device),
        source_(config_.data, config_.max_sequences, config_.max_frames),
        split_(detail::split_sequences(source_.sequences(), config_.validation_fraction,
                                       config_.seed)),
        provenance_(data_provenance(config_, source_)),
        weights_(loss_weights()),
        loss_(source_.info().physics, weights_.lambda_grad, weights_.lambda_f, weights_.normaliser),
        batches_per_epoch_(static_cast<long>((split_.train.size() + config_.batch_size - 1) /
                                             config_.batch_size)),
        total_steps_(batches_per_epoch_ * config_.epochs) {
    require(source_.size() >= config_.model.kernel,
            "dataset fields are " + std::to_string(source_.size()) + "^2, smaller than the "
            "model's kernel (" + std::to_string(config_.model.kernel) + "); use a larger N");
    torch::manual_seed(config_.seed);  // weight initialisation
    model_ = Crnn(config_.model);
    model_->to(device_);
    optimizer_ = std::make_unique<torch::optim::Adam>(
        model_->parameters(), torch::optim::AdamOptions(config_.learning_rate));
    if (config_.resume) {
      resume_from_latest();
    } else if (!config_.init_from.empty()) {
      initialise_from(config_.init_from);
    }
    spdlog::info("surrogate: {} parameters, {} train / {} validation sequences, device {}, "
                 "{} threads, scheme {}, loss (L_phi + {:.4g} L_grad + {:.4g} L_f) / {:.4g}",
                 detail::parameter_count(*model_), split_.train.size(), split_.validation.size(),
                 device_.str(), at::get_num_threads(), config_.scheme, weights_.lambda_grad,
                 weights_.lambda_f, weights_.normaliser);
    if (comm_.world() > 1)
      spdlog::info("data-parallel: {} ranks ({} backend), each computing {:.3g} of every batch "
                   "of {} on average",
                   comm_.world(), comm_.backend(),
                   static_cast<double>(config_.batch_size) / comm_.world(), config_.batch_size);
  }

  std::vector<EpochRecord> run(const std::function<void(const EpochRecord&)>& on_epoch) {
    // Every rank starts from rank 0's weights (equal anyway from the seed or latest.pt).
    comm_.broadcast(*model_);
    if (comm_.root()) io::atomic_write_text(paths_.config, config_.to_json().dump(2) + "\n");
    const int first = last_epoch_ + 1;
    if (first > config_.epochs)
      spdlog::info("training already reached epoch {} of {}: nothing to do", last_epoch_,
                   config_.epochs);
    const auto run_start = std::chrono::steady_clock::now();
    for (int epoch = first; epoch <= config_.epochs; ++epoch) {
      const auto start = std::chrono::steady_clock::now();
      EpochRecord r;
      r.epoch = epoch;
      if (config_.scheme == "curriculum") {
        r.given_frames = given_frames(epoch, source_.frames(), config_.curriculum_epochs);
        r.loss_frames = source_.frames() - r.given_frames;
      } else {
        r.given_frames = 0;
      }
      r.train_loss = train_epoch(epoch, r);
      r.train_seconds = seconds_since(start);
      validate(r);
      if (!std::isfinite(r.validation_loss)) diverged(epoch, "validation", r.validation_loss);
      r.seconds = seconds_since(start);

      const bool improved = r.validation_loss < best_validation_;
      if (improved) {
        best_validation_ = r.validation_loss;
        best_epoch_ = epoch;
      }
      history_.push_back(r);
      if (comm_.root()) save_outputs(epoch, improved);
      last_epoch_ = epoch;

      const double per_epoch = seconds_since(run_start) / (epoch - first + 1);
      spdlog::info("epoch {}/{}: {} {} frame(s), lr {:.3g}, train loss {:.4e}, validation loss "
                   "{:.4e}{}, validation phi in [{:.3f}, {:.3f}] ({:.3g} % outside [-0.05, "
                   "1.05]), gradient norm median {:.3g} max {:.3g}, {:.1f} s, ETA {}",
                   epoch, config_.epochs, config_.scheme == "curriculum" ? "given" : "loss",
                   config_.scheme == "curriculum" ? r.given_frames : r.loss_frames,
                   r.learning_rate, r.train_loss, r.validation_loss, improved ? " (best)" : "",
                   r.validation_phi_min, r.validation_phi_max, 100 * r.validation_outside,
                   r.grad_norm_median, r.grad_norm_max, r.seconds, format_duration(per_epoch * (config_.epochs - epoch)));
      if (on_epoch) on_epoch(r);
    }
    plot_loss();
    return history_;
  }

 private:
  /// The configured loss of `prediction` against frames [given, T) of `frames`.
  detail::LossTerms loss(const torch::Tensor& prediction, const torch::Tensor& frames, int given,
                         const torch::Tensor& eta) {
    return detail::training_objective(loss_, config_, prediction, frames, given, eta);
  }

  void set_learning_rate(double value) {
    for (auto& group : optimizer_->param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(value);
  }

  std::vector<int> batch_items(const std::vector<int>& order, size_t first) const {
    const size_t end = std::min(order.size(), first + static_cast<size_t>(config_.batch_size));
    return std::vector<int>(order.begin() + static_cast<std::ptrdiff_t>(first),
                            order.begin() + static_cast<std::ptrdiff_t>(end));
  }

  /// One pass over the training sequences; fills r.learning_rate (and r.loss_frames for
  /// the rollout scheme) with the values of the last step.
  double train_epoch(int epoch, EpochRecord& r) {
    model_->train();
    const auto order = detail::epoch_order(split_.train, config_.seed, epoch);
    Progress progress(fmt::format("epoch {} training batches", epoch), batches_per_epoch_, 10.0);
    double sum = 0;
    size_t count = 0;
    std::vector<double> norms;
    for (int b = 0; b < batches_per_epoch_; ++b) {
      const long step = (epoch - 1) * batches_per_epoch_ + b;
      r.learning_rate = config_.lr_schedule == "warmup_cosine"
                            ? learning_rate_at_step(step, total_steps_, config_)
                            : learning_rate_at(epoch, config_);
      set_learning_rate(r.learning_rate);
      const auto items = batch_items(order, static_cast<size_t>(b) * config_.batch_size);
      // This rank's slice of the batch; its loss, a mean over its items, weighs by its
      // share, so the summed gradients are those of the whole batch's mean loss.
      const Slice slice = slice_of(items);
      optimizer_->zero_grad();
      double share = 0;
      if (slice.count > 0) {
        const auto batch = detail::load_batch(source_, slice.items, config_.augment,
                                              config_.seed, epoch, b, slice.first);
        detail::LossTerms terms =
            config_.scheme == "curriculum"
                ? curriculum_loss(batch, epoch, b, r.given_frames, slice)
                : window_loss(batch, epoch, b, loss_frames_at(step, total_steps_, config_), r,
                              slice);
        const double weight = static_cast<double>(slice.count) / slice.total;
        if (weight != 1.0) terms.total = terms.total * weight;
        share = terms.total.item<double>();
        // A non-finite loss is caught below on every rank alike; its backward is harmless.
        terms.total.backward();
        spdlog::debug("epoch {} batch {}/{}: loss {:.4e} (L_phi {:.3e}, L_grad {:.3e}, L_f {:.3e})",
                      epoch, b + 1, batches_per_epoch_, share / weight, terms.phi.item<double>(),
                      terms.grad.item<double>(), terms.free_energy.item<double>());
      }
      const double value = comm_.sum({share}).front();
      if (!std::isfinite(value)) diverged(epoch, fmt::format("batch {}", b + 1), value);
      comm_.sum_gradients(model_->parameters());
      norms.push_back(detail::clip_gradient_norm(model_->parameters(), config_.grad_clip));
      optimizer_->step();
      sum += value * items.size();
      count += items.size();
      progress.add();
    }
    std::sort(norms.begin(), norms.end());
    r.grad_norm_median = norms[norms.size() / 2];
    r.grad_norm_max = norms.back();
    return sum / count;
  }

  /// This rank's share of a batch: its items and their places in it.
  struct Slice : detail::BatchSlice {
    std::vector<int> items;
  };

  Slice slice_of(const std::vector<int>& batch) const {
    Slice s;
    s.total = static_cast<int>(batch.size());
    const auto [first, last] = detail::rank_slice(s.total, comm_.rank(), comm_.world());
    s.first = first;
    s.count = last - first;
    s.items.assign(batch.begin() + first, batch.begin() + last);
    return s;
  }

  /// The paper's teacher forcing: `given` noisy true frames, the rest predicted.
  detail::LossTerms curriculum_loss(const detail::Batch& batch, int epoch, int b, int given,
                                    const Slice& slice) {
    const auto frames = batch.frames.to(device_);
    const auto eta = batch.eta.to(device_);
    const auto noise = detail::batch_noise(frames.narrow(1, 0, given).sizes().vec(), slice,
                                           config_.input_noise, config_.seed, epoch, b,
                                           frames.options());
    const auto prediction = detail::teacher_forced_predictions(model_, frames, eta, given, noise);
    return loss(prediction, frames, given, eta);
  }

  /// Scheme rollout: one window per batch (data.h), noise on every input; both drawn
  /// for the whole batch, this rank's slice taken.
  detail::LossTerms window_loss(const detail::Batch& batch, int epoch, int b, int loss_frames,
                                EpochRecord& r, const Slice& slice) {
    detail::Window window = detail::draw_window(
        config_.seed, epoch, b, slice.total, source_.frames(), loss_frames, config_.cold_fraction,
        config_.warmup_min, config_.warmup_max, config_.pushforward_cold,
        config_.pushforward_warm);
    window.start.assign(window.start.begin() + slice.first,
                        window.start.begin() + slice.first + slice.count);
    r.loss_frames = window.loss_frames;
    const auto frames = detail::window_frames(batch.frames, window).to(device_);
    const auto eta = batch.eta.to(device_);
    const int extra = config_.energy_penalty > 0 ? config_.energy_frames : 0;
    auto noise_shape = frames.sizes().vec();
    noise_shape[1] += extra - 1;  // one per step
    const auto noise = detail::batch_noise(noise_shape, slice, config_.input_noise, config_.seed,
                                           epoch, b, frames.options());
    const auto prediction =
        detail::unroll_window(model_, frames, eta, window.warmup, window.pushforward, noise,
                              config_.noise_feedback, extra);
    const int first_loss = window.warmup + window.pushforward;
    auto terms = loss(prediction.narrow(1, 0, frames.size(1) - first_loss), frames, first_loss, eta);
    // The penalty sees the supervised and the unsupervised predictions alike.
    if (config_.energy_penalty > 0 && prediction.size(1) >= 2)
      loss_.add_energy_penalty(terms, prediction, eta,
                               config_.energy_penalty / weights_.energy_scale);
    if (config_.range_penalty > 0) loss_.add_range_penalty(terms, prediction, config_.range_penalty);
    return terms;
  }

  /// Loss of free rollouts from φ₀ (all T−1 frames predicted), no augmentation or noise,
  /// and the range of the predicted φ.
  void validate(EpochRecord& r) {
    torch::NoGradGuard no_grad;
    model_->eval();
    const int total = source_.frames();
    double sum = 0, outside = 0, pixels = 0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    size_t count = 0;
    for (size_t first = 0; first < split_.validation.size(); first += config_.batch_size) {
      const Slice slice = slice_of(batch_items(split_.validation, first));
      if (slice.count == 0) continue;
      const auto& items = slice.items;
      const auto batch = detail::load_batch(source_, items, false, config_.seed, 0, 0);
      const auto frames = batch.frames.to(device_);
      const auto eta = batch.eta.to(device_);
      const auto prediction = detail::unroll(model_, frames.narrow(1, 0, 1), eta, total);
      const auto terms = loss(prediction, frames, 1, eta);
      sum += terms.total.item<double>() * items.size();
      count += items.size();
      outside += ((prediction < -0.05) | (prediction > 1.05)).sum().item<double>();
      pixels += static_cast<double>(prediction.numel());
      lo = std::min(lo, prediction.min().item<double>());
      hi = std::max(hi, prediction.max().item<double>());
    }
    const std::vector<double> sums = comm_.sum({sum, static_cast<double>(count), outside, pixels});
    r.validation_loss = sums[0] / sums[1];
    r.validation_outside = sums[2] / sums[3];
    r.validation_phi_min = comm_.min(lo);
    r.validation_phi_max = comm_.max(hi);
  }

  /// Term weights of the loss (TrainConfig::loss_weights) and, with the energy
  /// penalty, its scale: measured on the data once, read back on resume.
  detail::LossWeights loss_weights() {
    // A resumed run keeps what it measured (bit for bit, whatever the threads).
    const Json saved = config_.resume && io::file_exists(paths_.latest)
                           ? detail::read_checkpoint(paths_.latest).meta.value("loss_weights", Json())
                           : Json();
    detail::LossWeights w;
    if (config_.loss_weights == "fixed")
      w = {config_.lambda_grad, config_.lambda_f, 1.0};
    else if (saved.is_object())
      w = {saved.at("lambda_grad").get<double>(), saved.at("lambda_f").get<double>(),
           saved.at("normaliser").get<double>()};
    else
      w = measured_term_weights();
    if (config_.energy_penalty > 0)
      w.energy_scale = saved.contains("energy_scale") ? saved.at("energy_scale").get<double>()
                                                      : measured_energy_scale();
    return w;
  }

  /// The training sequences the weights are measured on: every ⌊S/64⌋-th of the S
  /// (64 to 127 of them once S ≥ 64).
  std::vector<int> probe_sequences() const {
    const size_t stride = std::max<size_t>(1, split_.train.size() / 64);
    std::vector<int> out;
    for (size_t k = 0; k < split_.train.size(); k += stride) out.push_back(split_.train[k]);
    return out;
  }

  /// The energy penalty's unit P_E (loss.h): mean |ΔF| per frame step.
  double measured_energy_scale() {
    torch::NoGradGuard no_grad;
    detail::PhysicsLoss raw(source_.info().physics, 1.0, 1.0);
    double fall = 0, rises = 0, steps = 0;
    for (int i : probe_sequences()) {
      const auto sequence = source_.sequence(i).unsqueeze(0).to(torch::kFloat64);
      const auto eta = torch::tensor({source_.eta(i)}, torch::kFloat64);
      const auto energy = raw.exact_free_energy(sequence, eta);
      const auto change = energy.narrow(1, 1, energy.size(1) - 1) - energy.narrow(1, 0, energy.size(1) - 1);
      fall += change.abs().sum().item<double>();
      rises += (change > 0).sum().item<double>();
      steps += static_cast<double>(change.numel());
    }
    const double scale = fall / steps;
    require(std::isfinite(scale) && scale > 0,
            fmt::format("cannot scale the energy penalty: the training data's free energy does "
                        "not change (mean |dF| per frame {:.3g})",
                        scale));
    spdlog::info("energy penalty: the data's F changes by {:.4g} per frame on average and rises "
                 "in {:.2g} % of the steps; lambda_E {:.4g}, {} unsupervised frame(s)",
                 scale, 100.0 * rises / steps, config_.energy_penalty, config_.energy_frames);
    return scale;
  }

  /// train.loss_weights = "auto": the terms of "nothing changes" on the probe sequences,
  /// from frames s = 0, m, 2m, … the next m frames (m = loss_frames_end, the horizon)
  /// predicted as frame s.
  detail::LossWeights measured_term_weights() {
    torch::NoGradGuard no_grad;
    detail::PhysicsLoss raw(source_.info().physics, 1.0, 1.0);
    const int frames = source_.frames();
    const int m = std::clamp(config_.scheme == "curriculum" ? frames - 1 : config_.loss_frames_end,
                             1, frames - 1);
    double p_phi = 0, p_grad = 0, p_f = 0, windows = 0;
    for (int i : probe_sequences()) {
      const auto sequence = source_.sequence(i).unsqueeze(0);
      const auto eta = torch::tensor({source_.eta(i)}, torch::kFloat64);
      for (int start = 0; start + m < frames; start += m) {
        const auto target = sequence.narrow(1, start + 1, m);
        const auto terms = raw(sequence.narrow(1, start, 1).expand_as(target), target, eta);
        p_phi += terms.phi.item<double>();
        p_grad += terms.grad.item<double>();
        p_f += terms.free_energy.item<double>();
        windows += 1;
      }
    }
    const auto w = detail::LossWeights::balanced_terms(p_phi / windows, p_grad / windows,
                                                       p_f / windows);
    spdlog::info("loss weights (auto): persistence over {} frames has L_phi {:.4g}, L_grad "
                 "{:.4g}, L_f {:.4g} → lambda_grad {:.4g}, lambda_f {:.4g}, normaliser {:.4g}",
                 m, p_phi / windows, p_grad / windows, p_f / windows, w.lambda_grad, w.lambda_f,
                 w.normaliser);
    return w;
  }

  /// Starts from the weights of another run (a first stage): same architecture and
  /// the same solver physics as this run's data.
  void initialise_from(const std::string& path) {
    const auto checkpoint = detail::read_checkpoint(path);
    const Json physics = checkpoint.meta.value("physics", Json());
    const Json ours = source_.info().physics.to_json();
    require(physics.is_null() || physics == ours,
            "train.init_from '" + path + "' was trained on physics " + physics.dump() +
                " but the data '" + config_.data + "' has " + ours.dump() +
                "; start from a model of the same physics");
    require(detail::model_config_of(checkpoint, path).to_json() == config_.model.to_json(),
            "train.init_from '" + path + "' has model " +
                checkpoint.meta.value("model", Json()).dump() + " but the config asks for " +
                config_.model.to_json().dump());
    detail::load_weights(model_, checkpoint, path);
    spdlog::info("starting from the weights of '{}' (epoch {})", path,
                 checkpoint.meta.value("epoch", 0));
  }

  Json meta(int epoch) const {
    Json split{{"train", Json::array()}, {"validation", Json::array()}};
    for (int i : split_.train) split["train"].push_back(source_.dataset_index(i));
    for (int i : split_.validation) split["validation"].push_back(source_.dataset_index(i));
    return Json{{"csd_version", CSD_VERSION},
                {"epoch", epoch},
                {"ranks", comm_.world()},
                {"model", config_.model.to_json()},
                {"eta_scale", config_.model.eta_scale},
                {"eta_min", source_.eta_min()},
                {"eta_max", source_.eta_max()},
                {"parameters", detail::parameter_count(*model_)},
                {"train", config_.to_json().at("train")},
                {"data", provenance_},
                {"physics", source_.info().physics.to_json()},
                {"loss_weights", Json{{"lambda_grad", weights_.lambda_grad},
                                      {"lambda_f", weights_.lambda_f},
                                      {"normaliser", weights_.normaliser},
                                      {"energy_scale", weights_.energy_scale}}},
                {"best_validation_loss", best_validation_},
                {"best_epoch", best_epoch_},
                {"history", history_json(history_)},
                {"split", split}};
  }

  void save_outputs(int epoch, bool improved) {
    const auto checkpoint = detail::make_checkpoint(model_, optimizer_.get(), meta(epoch));
    detail::save_checkpoint(paths_.latest, checkpoint);
    if (improved) detail::save_checkpoint(paths_.best, checkpoint);
    if (config_.keep_every > 0 && epoch % config_.keep_every == 0)
      detail::save_checkpoint(fmt::format("{}/epoch-{:04d}.pt", config_.out, epoch), checkpoint);
    io::CsvWriter csv(paths_.history,
                      {"epoch", "given_frames", "learning_rate", "train_loss", "validation_loss",
                       "seconds", "loss_frames", "validation_outside", "validation_phi_min",
                       "validation_phi_max", "train_seconds", "grad_norm_median",
                       "grad_norm_max"});
    for (const auto& r : history_)
      csv.row(r.epoch, r.given_frames, r.learning_rate, r.train_loss, r.validation_loss,
              r.seconds, r.loss_frames, r.validation_outside, r.validation_phi_min,
              r.validation_phi_max, r.train_seconds, r.grad_norm_median, r.grad_norm_max);
    csv.close();
  }

  /// loss.png next to history.csv (scripts/plots.py; optional: only warns when it cannot),
  /// once per run rather than per epoch, since starting Python costs about a second.
  void plot_loss() const {
    if (comm_.root() && last_epoch_ > 0) evaluation::make_plots("loss", paths_.history);
  }

  void resume_from_latest() {
    require(io::file_exists(paths_.latest),
            "--resume: no checkpoint '" + paths_.latest +
                "' to resume from; run without --resume to start a new training");
    const auto checkpoint = detail::read_checkpoint(paths_.latest);
    const bool objective_changed =
        require_resumable(checkpoint.meta, config_, provenance_, paths_.latest);
    detail::load_weights(model_, checkpoint, paths_.latest);
    detail::load_optimizer_state(*optimizer_, model_, checkpoint, paths_.latest);
    const Json& m = checkpoint.meta;
    last_epoch_ = m.at("epoch").get<int>();
    history_ = history_from_json(m.value("history", Json::array()));
    best_epoch_ = m.value("best_epoch", 0);
    best_validation_ = m.at("best_validation_loss").is_number()
                           ? m.at("best_validation_loss").get<double>()
                           : std::numeric_limits<double>::infinity();
    if (objective_changed) {
      best_validation_ = std::numeric_limits<double>::infinity();
      best_epoch_ = 0;
    }
    spdlog::info("resuming from '{}' after epoch {} (best validation loss {:.4e} at epoch {})",
                 paths_.latest, last_epoch_, best_validation_, best_epoch_);
  }

  [[noreturn]] void diverged(int epoch, const std::string& where, double value) const {
    const std::string kept =
        last_epoch_ > 0
            ? fmt::format("last good checkpoint kept at '{}' (epoch {}), best at '{}'",
                          paths_.latest, last_epoch_, paths_.best)
            : std::string("no checkpoint was written yet");
    plot_loss();
    throw Error(fmt::format("training diverged at epoch {} ({}: loss = {}); {}; lower "
                            "train.learning_rate (now {}) and retry",
                            epoch, where, value, kept, config_.learning_rate));
  }

  detail::Communicator& comm_;
  TrainConfig config_;
  std::optional<io::ExclusiveLock> output_lock_;  ///< one training run per output folder (rank 0)
  OutputPaths paths_;
  torch::Device device_;
  detail::SequenceSource source_;
  detail::DataSplit split_;
  Json provenance_;
  detail::LossWeights weights_;
  detail::PhysicsLoss loss_;
  long batches_per_epoch_ = 0, total_steps_ = 0;
  Crnn model_{nullptr};
  std::unique_ptr<torch::optim::Adam> optimizer_;
  std::vector<EpochRecord> history_;
  double best_validation_ = std::numeric_limits<double>::infinity();
  int best_epoch_ = 0;
  int last_epoch_ = 0;
};

}  // namespace

std::vector<EpochRecord> train(const TrainConfig& config,
                               const std::function<void(const EpochRecord&)>& on_epoch) {
  config.validate();
  const detail::RankInfo ranks = detail::rank_from_environment();
  const bool fresh_folder = ranks.rank == 0 && !config.out.empty() && !io::file_exists(config.out);
  try {
    try {
      const torch::Device device = detail::rank_device(detail::resolve_device(config.device), ranks);
      detail::Communicator comm(ranks, config.dist_backend, device,
                                std::chrono::seconds(config.dist_timeout));
      const QuietRank quiet(comm.root());
      std::unique_ptr<Trainer> trainer;
      std::exception_ptr failure;
      try {
        trainer = std::make_unique<Trainer>(config, device, comm);
      } catch (...) {
        failure = std::current_exception();
      }
      if (!comm.all(failure == nullptr)) {
        if (failure) std::rethrow_exception(failure);
        throw Error(comm.who() + ": another rank failed to start (its log says why)");
      }
      return trainer->run(on_epoch);
    } catch (const c10::Error& e) {
      // e.g. out of memory, or an Adam step that overflows float32.
      throw Error(std::string("LibTorch failed during training: ") + e.what_without_backtrace() +
                  "; checkpoints of finished epochs are kept in '" + config.out + "'");
    }
  } catch (...) {
    // A run that fails before its first checkpoint leaves nothing in a folder it made
    // (no empty folder, no lone config.json).
    if (fresh_folder && !io::file_exists(config.out + "/latest.pt")) {
      std::error_code ec;
      std::filesystem::remove_all(config.out, ec);
    }
    throw;
  }
}

}  // namespace csd::surrogate
