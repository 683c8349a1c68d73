// csd evaluate: judge the surrogate against the solver on a test set (paper Figs. 4–6),
// or compare any two datasets that start from the same initial fields.
//   csd evaluate --model runs/paper/best.pt --data test.h5 --out eval/test
//   csd evaluate --data noisy.h5 --against test.h5 --out eval/noise      (no model)
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>

#include "command.h"
#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/evaluation/compare.h"
#include "csd/evaluation/plots.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "csd/io/staged_directory.h"
#include "csd/physics/energy.h"
#include "csd/physics/solver.h"
#ifdef CSD_WITH_TORCH
#include "csd/surrogate/surrogate.h"
#endif

namespace csd::app {
namespace {

/// Keys of the JSON section "evaluate" equal the member names; flags mirror them.
struct EvaluateConfig {
  std::string model;    ///< surrogate checkpoint; empty with --against
  std::string data;     ///< test set: the reference (with --model) or dataset A
  std::string against;  ///< reference dataset B (no model)
  std::string out;
  std::string device = "auto";
  int threads = 0;
  int batch = 8;              ///< sequences rolled out together
  int max_sequences = 0;      ///< 0 = all
  int frames = 0;             ///< compare only the first T frames (0 = all)
  int timing_frames = 2;      ///< solver frames timed for the speed comparison
  int snapshot_sequences = 3;
  int headline_frame = 100;
  int horizon = 0;            ///< training rollout length in frames (0 = unknown)
  bool allow_frame_mismatch = false;
  bool allow_physics_mismatch = false;  ///< warn, not refuse, when model and data physics differ
  bool overwrite = false;     ///< replace an existing output folder (once the new one is complete)
  bool plots = true;

  void validate() const {
    require(!data.empty(), "no dataset: pass --data F.h5");
    require(!out.empty(), "no output directory: pass --out DIR");
    require(model.empty() != against.empty(),
            "give either --model CKPT (roll the surrogate out from --data's initial fields and "
            "compare) or --against B.h5 (compare --data with B), not both and not neither");
    require(threads >= 0, "threads must be >= 0 (0 = all cores)");
    require(batch >= 1, "batch must be >= 1");
    require(max_sequences >= 0 && frames >= 0, "max_sequences and frames must be >= 0 (0 = all)");
    require(frames != 1, "frames must be >= 2 (frame 0 is the shared initial field)");
    require(timing_frames >= 1, "timing_frames must be >= 1");
    require(snapshot_sequences >= 0 && headline_frame >= 0,
            "snapshot_sequences and headline_frame must be >= 0");
    require(horizon >= 0, "horizon must be >= 0 frames (0 = unknown)");
  }

  Json to_json() const {
    return {{"evaluate",
             {{"model", model}, {"data", data}, {"against", against}, {"out", out},
              {"device", device}, {"threads", threads}, {"batch", batch},
              {"max_sequences", max_sequences}, {"frames", frames},
              {"timing_frames", timing_frames}, {"snapshot_sequences", snapshot_sequences},
              {"headline_frame", headline_frame}, {"horizon", horizon},
              {"allow_frame_mismatch", allow_frame_mismatch},
              {"allow_physics_mismatch", allow_physics_mismatch}, {"overwrite", overwrite},
              {"plots", plots}}}};
  }

  static EvaluateConfig from_json(const Json& config) {
    const Json e = section_or_empty(config, "evaluate");
    reject_unknown_keys(e,
                        {"model", "data", "against", "out", "device", "threads", "batch",
                         "max_sequences", "frames", "timing_frames", "snapshot_sequences",
                         "headline_frame", "horizon", "allow_frame_mismatch",
                         "allow_physics_mismatch", "overwrite", "plots"},
                        "evaluate");
    EvaluateConfig c;
    read_key(e, "model", c.model, "evaluate");
    read_key(e, "data", c.data, "evaluate");
    read_key(e, "against", c.against, "evaluate");
    read_key(e, "out", c.out, "evaluate");
    read_key(e, "device", c.device, "evaluate");
    read_key(e, "threads", c.threads, "evaluate");
    read_key(e, "batch", c.batch, "evaluate");
    read_key(e, "max_sequences", c.max_sequences, "evaluate");
    read_key(e, "frames", c.frames, "evaluate");
    read_key(e, "timing_frames", c.timing_frames, "evaluate");
    read_key(e, "snapshot_sequences", c.snapshot_sequences, "evaluate");
    read_key(e, "headline_frame", c.headline_frame, "evaluate");
    read_key(e, "horizon", c.horizon, "evaluate");
    read_key(e, "allow_frame_mismatch", c.allow_frame_mismatch, "evaluate");
    read_key(e, "allow_physics_mismatch", c.allow_physics_mismatch, "evaluate");
    read_key(e, "overwrite", c.overwrite, "evaluate");
    read_key(e, "plots", c.plots, "evaluate");
    return c;
  }
};

/// Compare options for writing into `dir` (the staging folder of c.out).
evaluation::CompareOptions compare_options(const EvaluateConfig& c, const std::string& dir) {
  evaluation::CompareOptions o;
  o.prediction = c.data;
  o.reference = c.against;
  o.out = dir;
  // Files named in the figures; "A"/"B" when the names alone do not tell them apart.
  o.prediction_label = std::filesystem::path(c.data).stem().string();
  o.reference_label = std::filesystem::path(c.against).stem().string();
  if (o.prediction_label == o.reference_label) {
    o.prediction_label = "A";
    o.reference_label = "B";
  }
  o.allow_frame_mismatch = c.allow_frame_mismatch;
  o.allow_physics_mismatch = c.allow_physics_mismatch;
  o.max_sequences = c.max_sequences;
  o.max_frames = c.frames;
  o.threads = c.threads;
  o.snapshot_sequences = c.snapshot_sequences;
  o.headline_frame = c.headline_frame;
  o.horizon = c.horizon;
  o.extra = c.to_json();
  return o;
}

void report(const evaluation::CompareSummary& s, const EvaluateConfig& c) {
  if (s.at_headline)
    spdlog::info("evaluate: frame {}: median MAE {:.4f} (IQR {:.4f}), median |interface error| "
                 "{:.2f} %",
                 s.at_headline->frame, s.at_headline->mae.median, s.at_headline->mae.iqr(),
                 100 * s.at_headline->interface_error.median);
  spdlog::info("evaluate: frame {} (last): median MAE {:.4f} (IQR {:.4f}), median |interface "
               "error| {:.2f} %; {} sequences → {}",
               s.last.frame, s.last.mae.median, s.last.mae.iqr(),
               100 * s.last.interface_error.median, s.sequences, c.out + "/summary.json");
  for (const evaluation::HorizonFigures& h : s.horizon)
    spdlog::info("evaluate: frame {} ({}H): median MAE {:.4f} = {:.2f} × persistence, ⟨f⟩ "
                 "{:+.2f} %, near-grid rms × {:.3g}, φ in [{:.3f}, {:.3f}], {} pixels outside "
                 "[{}, {}] so far",
                 h.frame, h.multiple, h.mae_median, h.mae_ratio, 100 * h.f_relative_difference,
                 h.near_grid_rms_ratio, h.phi_min_a, h.phi_max_a, h.far_outside_count_a,
                 evaluation::kPhiFarRange[0], evaluation::kPhiFarRange[1]);
  if (c.plots)
    spdlog::info("evaluate: figures → {}/mae.png, interface_error.png, descriptors.png, "
                 "long_horizon.png",
                 c.out);
}

#ifdef CSD_WITH_TORCH

/// Solver wall time per frame on the test set's grid: a few frames from sequence 0's φ₀.
double solver_seconds_per_frame(const io::DatasetReader& reader, int frames) {
  const int n = reader.shape().size;
  const std::vector<float> phi0 = reader.read_frame(0, 0);
  const Field field = Eigen::Map<const FieldF>(phi0.data(), n, n).cast<double>();
  physics::Solver solver(field, reader.meta(0).eta, reader.info().physics);
  const auto start = std::chrono::steady_clock::now();
  for (int f = 0; f < frames; ++f) solver.advance_frame();
  (void)solver.phi();  // include the final transform back to real space
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / frames;
}

struct SurrogateRun {
  std::string path;
  int sequences = 0, frames = 0;
  double seconds_per_frame = 0;  ///< wall time per predicted frame and sequence (batched)
};

void warn_outside_training_range(const surrogate::Surrogate& model,
                                 const io::DatasetReader& reader, int sequences) {
  int outside = 0;
  for (int s = 0; s < sequences; ++s) {
    const double eta = reader.meta(s).eta;
    outside += eta < model.eta_min() - 1e-12 || eta > model.eta_max() + 1e-12;
  }
  if (outside > 0)
    spdlog::warn("evaluate: {} of {} sequences have η outside the training range [{}, {}]: "
                 "the surrogate extrapolates there",
                 outside, sequences, model.eta_min(), model.eta_max());
}

/// Rolls the surrogate out from every sequence's φ₀ and η and writes OUT/surrogate.h5 in
/// the dataset schema (source "surrogate"), energies recomputed per frame.
SurrogateRun run_surrogate(const EvaluateConfig& c, const io::DatasetReader& reader,
                           const std::string& dir) {
  const io::DatasetShape& shape = reader.shape();
  const int sequences = c.max_sequences > 0 ? std::min(c.max_sequences, shape.sequences)
                                            : shape.sequences;
  const int frames = c.frames > 0 ? std::min(c.frames, shape.frames) : shape.frames;
  const int n = shape.size;
  require(frames >= 2, "'" + c.data + "' has a single frame: nothing to predict");
  const std::vector<bool> complete = reader.completed();
  for (int s = 0; s < sequences; ++s)
    require(complete[s], "sequence " + std::to_string(s) + " of '" + c.data +
                             "' is incomplete; finish it with `csd generate --resume`");
  // What the comparison after the rollout will require of the test set (grid size,
  // finite frames), checked now rather than after the long rollout.
  evaluation::check_reference(c.data, "solver", sequences, frames);

  // The surrogate emulates the solver physics it was trained on: checked before any
  // work, and its frames are labelled with that physics.
  const std::optional<physics::Params> trained = surrogate::checkpoint_physics(c.model);
  if (trained)
    physics::require_same_physics(*trained, "model", reader.info().physics, "data",
                                  c.allow_physics_mismatch,
                                  "evaluating '" + c.model + "' on '" + c.data + "'");
  else
    spdlog::warn("evaluate: checkpoint '{}' names no physics; cannot check it against '{}'",
                 c.model, c.data);
  const surrogate::Surrogate model = surrogate::Surrogate::load(c.model, {c.device, c.threads});
  spdlog::info("evaluate: surrogate '{}' on {}; {} sequences × {} frames of {}², batch {}",
               c.model, model.device_name(), sequences, frames, n, c.batch);
  warn_outside_training_range(model, reader, sequences);

  io::DatasetInfo info;
  info.shape = {sequences, frames, n};
  info.physics = trained.value_or(reader.info().physics);
  info.noise = 0.0;
  info.config_json = c.to_json().dump();
  info.csd_version = CSD_VERSION;
  info.source = "surrogate";
  SurrogateRun run{dir + "/surrogate.h5", sequences, frames, 0.0};
  io::DatasetWriter writer(run.path, info, io::DatasetWriter::Mode::kOverwrite);
  const physics::EnergyCalculator energy(n, info.physics);
  const std::size_t frame_size = static_cast<std::size_t>(n) * n;

  Progress progress("evaluate: surrogate frames", static_cast<long>(sequences) * (frames - 1));
  double rollout_seconds = 0;
  for (int first = 0; first < sequences; first += c.batch) {
    const int batch = std::min(c.batch, sequences - first);
    std::vector<float> phi0;
    std::vector<double> etas;
    std::vector<io::SequenceMeta> metas;
    for (int k = 0; k < batch; ++k) {
      const std::vector<float> f = reader.read_frame(first + k, 0);  // finite: checked above
      phi0.insert(phi0.end(), f.begin(), f.end());
      metas.push_back(reader.meta(first + k));
      etas.push_back(metas.back().eta);
    }
    const auto start = std::chrono::steady_clock::now();
    const std::vector<float> predicted = model.rollout_batch(
        phi0, batch, n, etas, frames, [&](int) { progress.add(batch); });
    rollout_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    for (int k = 0; k < batch; ++k) {
      const auto begin = predicted.begin() + static_cast<std::ptrdiff_t>(k * frames * frame_size);
      const std::vector<float> sequence(begin, begin + static_cast<std::ptrdiff_t>(frames * frame_size));
      const bool finite = std::all_of(sequence.begin(), sequence.end(),
                                      [](float v) { return std::isfinite(v); });
      require(finite, "the surrogate diverged (NaN/Inf) on sequence " +
                          std::to_string(first + k) + " (η = " + fmt::format("{:g}", etas[k]) +
                          "); compare fewer frames (--frames) or check the model");
      std::vector<physics::Energies> energies(frames);
      for (int t = 0; t < frames; ++t) energies[t] = energy(sequence.data() + t * frame_size, etas[k]);
      writer.write_sequence(first + k, metas[k], sequence, energies);
    }
  }
  writer.finish();
  run.seconds_per_frame = rollout_seconds / (static_cast<double>(sequences) * (frames - 1));
  return run;
}

evaluation::CompareSummary evaluate_model(const EvaluateConfig& c, const std::string& dir) {
  const io::DatasetReader reader(c.data);
  const SurrogateRun run = run_surrogate(c, reader, dir);
  const double solver_seconds = solver_seconds_per_frame(reader, c.timing_frames);
  spdlog::info("evaluate: seconds per frame: surrogate {:.3g} (batched), solver {:.3g} "
               "(one core) → speed-up {:.1f}×",
               run.seconds_per_frame, solver_seconds, solver_seconds / run.seconds_per_frame);

  evaluation::CompareOptions o;
  o.prediction = run.path;
  o.reference = c.data;
  o.out = dir;
  o.prediction_label = "surrogate";
  o.reference_label = "solver";
  o.max_sequences = run.sequences;
  o.max_frames = run.frames;
  o.threads = c.threads;
  o.snapshot_sequences = c.snapshot_sequences;
  o.headline_frame = c.headline_frame;
  o.horizon = c.horizon;
  o.allow_physics_mismatch = c.allow_physics_mismatch;
  o.prediction_seconds_per_frame = run.seconds_per_frame;
  o.reference_seconds_per_frame = solver_seconds;
  o.extra = c.to_json();
  return evaluation::compare_datasets(o);
}

#else

evaluation::CompareSummary evaluate_model(const EvaluateConfig&, const std::string&) {
  throw Error("--model needs csd built with LibTorch (cmake -DCSD_WITH_TORCH=ON); to compare "
              "two datasets use --data A.h5 --against B.h5");
}

#endif

struct EvaluateFlags {
  std::string config;
  EvaluateConfig values;
  bool no_plots = false;
};

}  // namespace

void setup_evaluate(CLI::App& parent) {
  auto flags = std::make_shared<EvaluateFlags>();
  EvaluateConfig& v = flags->values;
  CLI::App* app = parent.add_subcommand(
      "evaluate",
      "Judge a prediction against a reference frame by frame (paper Figs. 4-6).\n"
      "With --model: roll the surrogate out from each sequence's phi_0 and eta of --data (the\n"
      "solver test set), write OUT/surrogate.h5, time surrogate and solver per frame, compare.\n"
      "With --against B.h5: compare --data (A, e.g. a noisy solver run) with B.\n"
      "Outputs: OUT/per_sequence.csv, OUT/ensemble.csv (median/IQR per frame of MAE, interface\n"
      "error, f, w, rho, I, D_b, near-grid rms, phi range), OUT/summary.json,\n"
      "OUT/snapshots/*.png (B | A | |dphi| at frames 0, 100 or H, 5H, 10H, last) and\n"
      "OUT/{mae,interface_error,descriptors,long_horizon}.png.");
  app->add_option("--config", flags->config,
                  "JSON config (section evaluate; keys = long flag names with _, plus plots: false for "
                  "--no-plots); flags override it")
      ->check(CLI::ExistingFile);
  std::vector<std::pair<CLI::Option*, std::function<void(EvaluateConfig&)>>> overrides;
  auto bind = [&](CLI::Option* option, auto member) {
    overrides.emplace_back(option, [flags, member](EvaluateConfig& c) {
      c.*member = flags->values.*member;
    });
  };
  bind(app->add_option("--model", v.model, "surrogate checkpoint (.pt)"), &EvaluateConfig::model);
  bind(app->add_option("--data", v.data, "test set (HDF5): the reference, or dataset A with --against"),
       &EvaluateConfig::data);
  bind(app->add_option("--against", v.against, "reference dataset B (instead of --model)"),
       &EvaluateConfig::against);
  bind(app->add_option("-o,--out", v.out, "output directory (created if needed)"),
       &EvaluateConfig::out);
  bind(app->add_option("--device", v.device, "auto | cpu | cuda [auto]")
           ->check(CLI::IsMember({"auto", "cpu", "cuda"})),
       &EvaluateConfig::device);
  bind(app->add_option("--threads", v.threads, "CPU threads [0 = all cores]"),
       &EvaluateConfig::threads);
  bind(app->add_option("--batch", v.batch, "sequences rolled out together [8]"),
       &EvaluateConfig::batch);
  bind(app->add_option("--max-sequences", v.max_sequences, "use only the first K sequences [0 = all]"),
       &EvaluateConfig::max_sequences);
  bind(app->add_option("--frames", v.frames,
                       "roll out / compare only the first T frames, including phi_0 [0 = all]"),
       &EvaluateConfig::frames);
  bind(app->add_option("--timing-frames", v.timing_frames,
                       "solver frames run to time the solver per frame [2]"),
       &EvaluateConfig::timing_frames);
  bind(app->add_option("--snapshot-sequences,--snapshots", v.snapshot_sequences,
                       "sequences drawn as PNG panels in OUT/snapshots [3]"),
       &EvaluateConfig::snapshot_sequences);
  bind(app->add_option("--headline-frame", v.headline_frame,
                       "frame reported besides the last (the paper's 100 tau) [100]"),
       &EvaluateConfig::headline_frame);
  bind(app->add_option("--horizon", v.horizon,
                       "training rollout length H in frames: report and draw frames H, 5H, "
                       "10H [0 = unknown]"),
       &EvaluateConfig::horizon);
  bind(app->add_flag("--allow-frame-mismatch", v.allow_frame_mismatch,
                     "with --against: compare the first min(T_A, T_B) frames"),
       &EvaluateConfig::allow_frame_mismatch);
  bind(app->add_flag("--allow-physics-mismatch", v.allow_physics_mismatch,
                     "run although the model's (or A's) physics differ from --data's (or "
                     "B's): a warning instead of an error"),
       &EvaluateConfig::allow_physics_mismatch);
  bind(app->add_flag("--overwrite", v.overwrite,
                     "replace an existing, non-empty output folder; the old results stay "
                     "until the new ones are complete"),
       &EvaluateConfig::overwrite);
  auto* o_no_plots = app->add_flag("--no-plots", flags->no_plots, "skip the PNG figures");

  app->callback([flags, overrides, o_no_plots] {
    EvaluateConfig c = EvaluateConfig::from_json(load_config(flags->config));
    for (const auto& [option, apply] : overrides)
      if (option->count() > 0) apply(c);
    if (o_no_plots->count() > 0) c.plots = false;
    c.threads = resolve_threads(c.threads);
    c.validate();
    log_config("evaluate", c.to_json());
    // Results are built beside an existing folder and replace it only when complete.
    io::StagedDirectory staged(c.out, c.overwrite);
    for (const auto& [input, name] : {std::pair{c.data, "--data"}, std::pair{c.against, "--against"},
                                      std::pair{c.model, "--model"}})
      io::require_outside(c.out, input, name);
    const evaluation::CompareSummary summary =
        c.model.empty() ? evaluation::compare_datasets(compare_options(c, staged.path()))
                        : evaluate_model(c, staged.path());
    if (c.plots && !evaluation::make_plots("ensemble", staged.path())) c.plots = false;
    staged.commit();
    report(summary, c);
  });
}

}  // namespace csd::app
