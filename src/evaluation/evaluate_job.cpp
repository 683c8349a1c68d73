#include "csd/evaluation/evaluate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "coarsening.h"
#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/evaluation/animation.h"
#include "csd/evaluation/plots.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "csd/io/staged_directory.h"
#include "csd/physics/energy.h"
#include "csd/physics/solver.h"

namespace csd::evaluation {
namespace {

using Job = EvaluateJob;

constexpr const char* kOneSource =
    "give either --model CKPT (roll the surrogate out from --data's initial fields and "
    "compare) or --against B.h5 (compare --data with B), not both and not neither";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Solver wall time per frame on the test set's grid: a few frames from sequence 0's φ₀.
double solver_seconds_per_frame(const io::DatasetReader& reader, int frames) {
  const int n = reader.shape().size;
  const std::vector<float> phi0 = reader.read_frame(0, 0);
  const Field field = Eigen::Map<const FieldF>(phi0.data(), n, n).cast<double>();
  physics::Solver solver(field, reader.meta(0).eta, reader.info().physics);
  const auto start = std::chrono::steady_clock::now();
  for (int f = 0; f < frames; ++f) solver.advance_frame();
  (void)solver.phi();  // include the final transform back to real space
  return seconds_since(start) / frames;
}

struct PredictedRun {
  std::string path;
  int sequences = 0, frames = 0;
  double seconds_per_frame = 0;  ///< wall time per predicted frame and sequence (batched)
};

/// The predictor's physics must be the data's (checked before any work).
physics::Params checked_physics(const Job& job, const Predictor& predictor,
                                const io::DatasetReader& reader) {
  const std::optional<physics::Params> trained = predictor.physics();
  if (!trained) {
    spdlog::warn("evaluate: {} names no physics; cannot check it against '{}'",
                 predictor.description(), job.data);
    return reader.info().physics;
  }
  physics::require_same_physics(*trained, "model", reader.info().physics, "data",
                                job.allow_physics_mismatch,
                                "evaluating " + predictor.description() + " on '" + job.data + "'");
  return *trained;
}

/// Rolls the predictor out from every sequence's φ₀ and η and writes dir/surrogate.h5
/// in the dataset schema (source "surrogate"), energies recomputed per frame.
PredictedRun write_predictions(const Job& job, const Predictor& predictor,
                               const io::DatasetReader& reader, const std::string& dir) {
  const io::DatasetShape& shape = reader.shape();
  const int sequences = job.max_sequences > 0 ? std::min(job.max_sequences, shape.sequences)
                                              : shape.sequences;
  const int frames = job.frames > 0 ? std::min(job.frames, shape.frames) : shape.frames;
  const int n = shape.size;
  require(frames >= 2, "'" + job.data + "' has a single frame: nothing to predict");
  const std::vector<bool> complete = reader.completed();
  for (int s = 0; s < sequences; ++s)
    require(complete[s], "sequence " + std::to_string(s) + " of '" + job.data +
                             "' is incomplete; finish it with `csd generate --resume`");
  // What the comparison after the rollout will require of the test set (grid size,
  // finite frames), checked now rather than after the long rollout.
  check_reference(job.data, "solver", sequences, frames);
  (void)detail::fit_window(job.fit_start, job.fit_end, frames, job.fit_confidence);
  io::DatasetInfo info;
  info.shape = {sequences, frames, n};
  info.physics = checked_physics(job, predictor, reader);
  info.noise = 0.0;
  info.config_json = job.to_json().dump();
  info.csd_version = CSD_VERSION;
  info.source = "surrogate";

  std::vector<double> all_etas;
  for (int s = 0; s < sequences; ++s) all_etas.push_back(reader.meta(s).eta);
  spdlog::info("evaluate: {} on {} sequences × {} frames of {}², batch {}",
               predictor.description(), sequences, frames, n, job.batch);

  PredictedRun run{dir + "/surrogate.h5", sequences, frames, 0.0};
  io::DatasetWriter writer(run.path, info, io::DatasetWriter::Mode::kOverwrite);
  const physics::EnergyCalculator energy(n, info.physics);
  const std::size_t frame_size = static_cast<std::size_t>(n) * n;
  Progress progress("evaluate: predicted frames", static_cast<long>(sequences) * (frames - 1));
  double rollout_seconds = 0;
  for (int first = 0; first < sequences; first += job.batch) {
    const int batch = std::min(job.batch, sequences - first);
    std::vector<float> phi0;
    std::vector<io::SequenceMeta> metas;
    for (int k = 0; k < batch; ++k) {
      const std::vector<float> f = reader.read_frame(first + k, 0);  // finite: checked above
      phi0.insert(phi0.end(), f.begin(), f.end());
      metas.push_back(reader.meta(first + k));
    }
    const std::vector<double> etas(all_etas.begin() + first, all_etas.begin() + first + batch);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<float> predicted = predictor.rollout_batch(
        phi0, batch, n, etas, frames, [&](int) { progress.add(batch); });
    rollout_seconds += seconds_since(start);

    for (int k = 0; k < batch; ++k) {
      const auto begin = predicted.begin() + static_cast<std::ptrdiff_t>(k * frames * frame_size);
      const std::vector<float> sequence(begin, begin + static_cast<std::ptrdiff_t>(frames * frame_size));
      const bool finite = std::all_of(sequence.begin(), sequence.end(),
                                      [](float v) { return std::isfinite(v); });
      require(finite, "the prediction diverged (NaN/Inf) on sequence " +
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

/// The comparison settings both modes share: A, B, where to write, and the job's figures.
CompareOptions common_options(const Job& job, const std::string& a, const std::string& b,
                              const std::string& dir) {
  CompareOptions o;
  o.prediction = a;
  o.reference = b;
  o.out = dir;
  o.allow_physics_mismatch = job.allow_physics_mismatch;
  o.threads = job.threads;
  o.snapshot_sequences = job.snapshot_sequences;
  o.headline_frame = job.headline_frame;
  o.horizon = job.horizon;
  o.fit_start = job.fit_start;
  o.fit_end = job.fit_end;
  o.fit_confidence = job.fit_confidence;
  o.extra = job.to_json();
  return o;
}

/// The options of the comparison of the predictor's rollout (written now) with --data.
CompareOptions evaluate_predictor(const Job& job, const Predictor& predictor,
                                  const std::string& dir) {
  const io::DatasetReader reader(job.data);
  const PredictedRun run = write_predictions(job, predictor, reader, dir);
  const double solver_seconds = solver_seconds_per_frame(reader, job.timing_frames);
  spdlog::info("evaluate: seconds per frame: prediction {:.3g} (batched), solver {:.3g} "
               "(one core) → speed-up {:.1f}×",
               run.seconds_per_frame, solver_seconds, solver_seconds / run.seconds_per_frame);
  CompareOptions o = common_options(job, run.path, job.data, dir);
  o.prediction_label = "surrogate";
  o.reference_label = "solver";
  o.max_sequences = run.sequences;
  o.max_frames = run.frames;
  o.prediction_seconds_per_frame = run.seconds_per_frame;
  o.reference_seconds_per_frame = solver_seconds;
  return o;
}

/// Compare options of `data` (A) against `against` (B), written into `dir`.
CompareOptions dataset_comparison(const Job& job, const std::string& dir) {
  CompareOptions o = common_options(job, job.data, job.against, dir);
  // Files named in the figures; "A"/"B" when the names alone do not tell them apart.
  o.prediction_label = std::filesystem::path(job.data).stem().string();
  o.reference_label = std::filesystem::path(job.against).stem().string();
  if (o.prediction_label == o.reference_label) {
    o.prediction_label = "A";
    o.reference_label = "B";
  }
  o.allow_frame_mismatch = job.allow_frame_mismatch;
  o.max_sequences = job.max_sequences;
  o.max_frames = job.frames;
  return o;
}

/// OUT/animation.gif: sequence 0 of the comparison as reference | prediction | |Δφ|,
/// every `every`-th of the `frames` compared frames (evaluation/animation.h).
void write_comparison_gif(const CompareOptions& o, int frames, int every, const std::string& path) {
  const io::DatasetReader reference(o.reference), prediction(o.prediction);
  const GifFrames plan = gif_frames(frames, every);
  warn_if_capped(plan, every, path);
  FieldAnimation gif(path, reference.shape().size,
                     {o.reference_label, o.prediction_label, "abs diff"});
  for (int t : plan.frames) {
    const std::vector<float> b = reference.read_frame(0, t), a = prediction.read_frame(0, t);
    std::vector<float> diff(a.size());
    for (std::size_t i = 0; i < diff.size(); ++i) diff[i] = std::abs(a[i] - b[i]);
    gif.add(t, {b.data(), a.data(), diff.data()});
  }
  gif.finish();
}

}  // namespace

const OptionTable<EvaluateJob>& evaluate_options() {
  static const OptionTable<Job> table = [] {
    OptionTable<Job> t = {
      {"model", "surrogate checkpoint (.pt)", [](Job& j) -> OptionRef { return &j.model; }},
      {"data", "test set (HDF5): the reference, or dataset A with --against",
       [](Job& j) -> OptionRef { return &j.data; }},
      {"against", "reference dataset B (instead of --model)",
       [](Job& j) -> OptionRef { return &j.against; }},
      {"out", "output directory (created if needed)", [](Job& j) -> OptionRef { return &j.out; },
       {}, "-o"},
      {"device", "auto | cpu | cuda [auto]", [](Job& j) -> OptionRef { return &j.device; },
       {"auto", "cpu", "cuda"}},
      {"threads", "CPU threads [0 = all cores]", [](Job& j) -> OptionRef { return &j.threads; }},
      {"batch", "sequences rolled out together [8]", [](Job& j) -> OptionRef { return &j.batch; }},
      {"max_sequences", "use only the first K sequences [0 = all]",
       [](Job& j) -> OptionRef { return &j.max_sequences; }},
      {"frames", "roll out / compare only the first T frames, including phi_0 [0 = all]",
       [](Job& j) -> OptionRef { return &j.frames; }},
      {"timing_frames", "solver frames run to time the solver per frame [2]",
       [](Job& j) -> OptionRef { return &j.timing_frames; }},
      {"snapshot_sequences", "sequences drawn as PNG panels in OUT/snapshots [3]",
       [](Job& j) -> OptionRef { return &j.snapshot_sequences; }, {}, "--snapshots"},
      {"headline_frame", "frame reported besides the last (the paper's 100 tau) [100]",
       [](Job& j) -> OptionRef { return &j.headline_frame; }},
      {"horizon", "training rollout length H in frames: report and draw frames H, 5H, 10H [0 = unknown]",
       [](Job& j) -> OptionRef { return &j.horizon; }},
      {"allow_frame_mismatch", "with --against: compare the first min(T_A, T_B) frames",
       [](Job& j) -> OptionRef { return &j.allow_frame_mismatch; }},
      {"allow_physics_mismatch",
       "run although the model's (or A's) physics differ from --data's (or B's): a warning "
       "instead of an error",
       [](Job& j) -> OptionRef { return &j.allow_physics_mismatch; }},
      {"overwrite",
       "replace an existing, non-empty output folder; the old results stay until the new ones "
       "are complete",
       [](Job& j) -> OptionRef { return &j.overwrite; }},
      {"plots", "draw the PNG figures (false = --no-plots) [true]",
       [](Job& j) -> OptionRef { return &j.plots; }},
      {"gif",
       "animated GIF OUT/animation.gif of sequence 0, reference | prediction | abs diff: every "
       "K-th frame, at most 200 frames, panels at most 256 px [0 = none]",
       [](Job& j) -> OptionRef { return &j.gif; }},
    };
    detail::add_fit_options(t, &Job::fit_start, &Job::fit_end, &Job::fit_confidence);
    return t;
  }();
  return table;
}

void EvaluateJob::validate() const {
  require(!data.empty(), "no dataset: pass --data F.h5");
  require(!out.empty(), "no output directory: pass --out DIR");
  require(model.empty() || against.empty(), kOneSource);
  require(threads >= 0, "threads must be >= 0 (0 = all cores)");
  require(batch >= 1, "batch must be >= 1");
  require(max_sequences >= 0 && frames >= 0, "max_sequences and frames must be >= 0 (0 = all)");
  require(frames != 1, "frames must be >= 2 (frame 0 is the shared initial field)");
  require(timing_frames >= 1, "timing_frames must be >= 1");
  require(snapshot_sequences >= 0 && headline_frame >= 0,
          "snapshot_sequences and headline_frame must be >= 0");
  require(horizon >= 0, "horizon must be >= 0 frames (0 = unknown)");
  require(gif >= 0, "gif must be >= 0 (every K-th frame; 0 = no animation)");
  detail::validate_fit_options(fit_start, fit_end, fit_confidence);
}

Json EvaluateJob::to_json() const { return {{"evaluate", options_to_json(evaluate_options(), *this)}}; }

EvaluateJob EvaluateJob::from_json(const Json& config) {
  EvaluateJob job;
  read_options(section_or_empty(config, "evaluate"), "evaluate", evaluate_options(), job);
  return job;
}

CompareSummary run_evaluate(const EvaluateJob& job, const Predictor* predictor) {
  job.validate();
  require((predictor == nullptr) != job.against.empty(), kOneSource);
  // Results are built beside an existing folder and replace it only when complete.
  io::StagedDirectory staged(job.out, job.overwrite);
  for (const auto& [input, name] : {std::pair{job.data, "--data"}, std::pair{job.against, "--against"},
                                    std::pair{job.model, "--model"}})
    io::require_outside(job.out, input, name);
  const CompareOptions compared = predictor != nullptr
                                      ? evaluate_predictor(job, *predictor, staged.path())
                                      : dataset_comparison(job, staged.path());
  const CompareSummary summary = compare_datasets(compared);
  if (job.gif > 0) write_comparison_gif(compared, summary.frames, job.gif, staged.path() + "/animation.gif");
  const bool drawn = job.plots && make_plots("ensemble", staged.path());
  staged.commit();
  if (job.gif > 0) spdlog::info("evaluate: animation → {}/animation.gif", job.out);
  if (drawn)
    spdlog::info("evaluate: figures → {}/mae.png, interface_error.png, descriptors.png, "
                 "long_horizon.png, coarsening.png",
                 job.out);
  return summary;
}

void log_evaluation(const CompareSummary& s, const EvaluateJob& job) {
  if (s.at_headline)
    spdlog::info("evaluate: frame {}: median MAE {:.4f} (IQR {:.4f}), median |interface error| "
                 "{:.2f} %",
                 s.at_headline->frame, s.at_headline->mae.median, s.at_headline->mae.iqr(),
                 100 * s.at_headline->interface_error.median);
  spdlog::info("evaluate: frame {} (last): median MAE {:.4f} (IQR {:.4f}), median |interface "
               "error| {:.2f} %; {} sequences → {}",
               s.last.frame, s.last.mae.median, s.last.mae.iqr(),
               100 * s.last.interface_error.median, s.sequences, job.out + "/summary.json");
  for (const HorizonFigures& h : s.horizon)
    spdlog::info("evaluate: frame {} ({}H): median MAE {:.4f} = {:.2f} × persistence, ⟨f⟩ "
                 "{:+.2f} %, near-grid rms × {:.3g}, φ in [{:.3f}, {:.3f}], {} pixels outside "
                 "[{}, {}] so far",
                 h.frame, h.multiple, h.mae_median, h.mae_ratio, 100 * h.f_relative_difference,
                 h.near_grid_rms_ratio, h.phi_min_a, h.phi_max_a, h.far_outside_count_a,
                 kPhiFarRange[0], kPhiFarRange[1]);
  const CoarseningFigures& c = s.coarsening;
  auto exponent = [](const std::optional<analysis::PowerLawFit>& f) {
    return f ? fmt::format("{:.3f} [{:.3f}, {:.3f}]", f->exponent, f->lower, f->upper)
             : std::string("not fitted");
  };
  spdlog::info("evaluate: coarsening L ~ t^n over frames {}–{}: n = {} (prediction), {} "
               "(reference)",
               c.fit_start, c.fit_end, exponent(c.growth_a), exponent(c.growth_b));
  for (const LengthRatio& r : c.length_ratio)
    spdlog::info("evaluate: frame {} ({}): L {:.2f} vs {:.2f} (ratio {:.3f}), <f> {:.4g} vs {:.4g}",
                 r.frame, r.label, r.length_a, r.length_b, r.ratio, r.f_mean_a, r.f_mean_b);
}

}  // namespace csd::evaluation
