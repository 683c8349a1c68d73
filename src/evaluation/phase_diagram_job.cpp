#include "csd/evaluation/phase_diagram_job.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/evaluation/plots.h"
#include "csd/io/dataset.h"

namespace csd::evaluation {
namespace {

using Job = PhaseDiagramJob;

/// Points, initial fields and solver frames of the job's source.
struct Inputs {
  std::vector<PhasePoint> points;
  std::vector<float> initial, solver;
  int n = 0;
  physics::Params physics;  ///< of the solver frames
};

Inputs from_dataset(const Job& job) {
  const io::DatasetReader reader(job.data);
  const io::DatasetShape& shape = reader.shape();
  require(job.frame < shape.frames,
          "'" + job.data + "' has " + std::to_string(shape.frames) + " frames, so frame " +
              std::to_string(job.frame) + " is not in it; pass --frame " +
              std::to_string(shape.frames - 1) + " or less");
  const int count = job.max_sequences > 0 ? std::min(job.max_sequences, shape.sequences)
                                          : shape.sequences;
  const std::vector<bool> complete = reader.completed();
  Inputs in;
  in.n = shape.size;
  in.physics = reader.info().physics;
  int incomplete = 0;
  for (int s = 0; s < count; ++s) {
    if (!complete[s]) {  // a partial file: use what is finished, and say so
      ++incomplete;
      continue;
    }
    const io::SequenceMeta m = reader.meta(s);
    in.points.push_back({m.mean_phi, m.eta, m.amplitude, m.seed, s});
    const std::vector<float> phi0 = reader.read_frame(s, 0), last = reader.read_frame(s, job.frame);
    in.initial.insert(in.initial.end(), phi0.begin(), phi0.end());
    in.solver.insert(in.solver.end(), last.begin(), last.end());
  }
  require(!in.points.empty(), "'" + job.data + "' holds no complete sequence");
  if (incomplete > 0)
    spdlog::warn("phasediagram: {} of {} sequences of '{}' are incomplete and left out; the "
                 "index column of points.csv is the dataset's sequence index",
                 incomplete, count, job.data);
  if (job.solver)
    spdlog::info("phasediagram: solver ignored, the solver frames come from the dataset");
  return in;
}

/// The solver physics of a grid: the job's physics section when given, else the
/// physics the predictor emulates (the τ and material the model learned).
physics::Params grid_physics(const Job& job, const Predictor& predictor) {
  if (job.physics_given) return job.physics;
  return predictor.physics().value_or(job.physics);
}

Inputs from_grid(const Job& job, const physics::Params& params) {
  Inputs in;
  in.n = job.size;
  in.physics = params;
  in.points = phase_grid(job.grid_options);
  for (const auto& p : in.points) {
    const FieldF f = phase_point_field(p, job.size, job.grid_options.feature_size).cast<float>();
    in.initial.insert(in.initial.end(), f.data(), f.data() + f.size());
  }
  if (job.solver)
    in.solver = run_solver_points(in.points, job.size, in.physics, job.frame,
                                  job.grid_options.feature_size, job.threads);
  return in;
}

/// The solver frames must come from the physics the predictor emulates; refused before
/// the long work unless allowed.
void check_physics(const Job& job, const Predictor& predictor, const physics::Params& solver) {
  const auto emulated = predictor.physics();
  if (!emulated) {
    spdlog::warn("phasediagram: {} names no physics; cannot check it", predictor.description());
    return;
  }
  physics::require_same_physics(*emulated, "model", solver,
                                job.grid ? "solver (--config physics)" : "data",
                                job.allow_physics_mismatch,
                                "phasediagram of " + predictor.description() + " against " +
                                    (job.grid ? std::string("the solver") : "'" + job.data + "'"));
}

void log_result(const PhaseDiagramResult& r, const Job& job) {
  if (r.surrogate_diverged > 0)
    spdlog::warn("phasediagram: the surrogate diverged on {} points (class 'diverged')",
                 r.surrogate_diverged);
  if (r.has_solver)
    spdlog::info("phasediagram: surrogate and solver agree on {}/{} points ({:.1f} %); "
                 "{} surrogate-only separated, {} solver-only separated → {}/points.csv",
                 r.confusion.agreements(), r.confusion.total(), r.confusion.agreement_percent(),
                 r.confusion.surrogate_only_separated, r.confusion.solver_only_separated, job.out);
  else
    spdlog::info("phasediagram: {} points classified (agreement with Eq. 9: {:.1f} %) → "
                 "{}/points.csv",
                 r.points.size(), r.linear_theory_agreement_percent, job.out);
}

}  // namespace

const OptionTable<PhaseDiagramJob>& phase_diagram_options() {
  static const OptionTable<Job> table = {
      {"model", "surrogate checkpoint (.pt)", [](Job& j) -> OptionRef { return &j.model; }},
      {"data", "points = the sequences of this dataset", [](Job& j) -> OptionRef { return &j.data; }},
      {"out", "output directory (created if needed)", [](Job& j) -> OptionRef { return &j.out; },
       {}, "-o"},
      {"device", "auto | cpu | cuda [auto]", [](Job& j) -> OptionRef { return &j.device; },
       {"auto", "cpu", "cuda"}},
      {"grid", "points on a regular (<phi>, eta) grid", [](Job& j) -> OptionRef { return &j.grid; }},
      {"solver", "--grid: also run the solver for comparison",
       [](Job& j) -> OptionRef { return &j.solver; }},
      {"phi_range", "<phi> range of the grid [0.15 0.85]",
       [](Job& j) -> OptionRef { return &j.grid_options.phi_range; }},
      {"eta_range", "eta range of the grid, fractions (0.006 = 0.6 %) [0 0.012]",
       [](Job& j) -> OptionRef { return &j.grid_options.eta_range; }},
      {"phi_points", "grid points along <phi> [15]",
       [](Job& j) -> OptionRef { return &j.grid_options.phi_points; }},
      {"eta_points", "grid points along eta [13]",
       [](Job& j) -> OptionRef { return &j.grid_options.eta_points; }},
      {"amplitude", "peak amplitude of the Perlin initial fields [0.1]",
       [](Job& j) -> OptionRef { return &j.grid_options.amplitude; }},
      {"feature_size", "Perlin cell size in pixels [16]",
       [](Job& j) -> OptionRef { return &j.grid_options.feature_size; }},
      {"seed", "master seed of the grid's fields [0]",
       [](Job& j) -> OptionRef { return &j.grid_options.seed; }},
      {"size", "grid size N of the --grid fields [128]", [](Job& j) -> OptionRef { return &j.size; }},
      {"frame", "classify frame F, t = F tau [100]", [](Job& j) -> OptionRef { return &j.frame; }},
      {"threshold", "single phase when max phi - min phi < threshold [0.05]",
       [](Job& j) -> OptionRef { return &j.threshold; }},
      {"threads", "CPU threads [0 = all cores]", [](Job& j) -> OptionRef { return &j.threads; }},
      {"batch", "points rolled out together [8]", [](Job& j) -> OptionRef { return &j.batch; }},
      {"max_sequences", "--data: first K sequences [0 = all]",
       [](Job& j) -> OptionRef { return &j.max_sequences; }},
      {"plots", "draw the PNG figure (false = --no-plots) [true]",
       [](Job& j) -> OptionRef { return &j.plots; }},
      {"allow_physics_mismatch",
       "run although the model's physics differ from the solver's (--data's, or --config's "
       "physics section): a warning instead of an error",
       [](Job& j) -> OptionRef { return &j.allow_physics_mismatch; }},
  };
  return table;
}

void PhaseDiagramJob::validate() const {
  require(!out.empty(), "no output directory: pass --out DIR");
  require(grid != !data.empty(), "give either --data F.h5 (points = its sequences) or --grid");
  require(frame >= 1, "frame must be >= 1 (the classified frame t = frame·tau)");
  require(threshold > 0, "threshold must be > 0 (the paper uses 0.05)");
  require(threads >= 0, "threads must be >= 0 (0 = all cores)");
  require(batch >= 1, "batch must be >= 1");
  require(max_sequences >= 0, "max_sequences must be >= 0 (0 = all)");
  require(size >= 4 && size % 2 == 0, "size must be even and >= 4");
  if (grid) grid_options.validate();
  physics.validate();
}

Json PhaseDiagramJob::to_json() const {
  return {{"phasediagram", options_to_json(phase_diagram_options(), *this)},
          {"physics", physics.to_json()}};
}

PhaseDiagramJob PhaseDiagramJob::from_json(const Json& config) {
  PhaseDiagramJob job;
  read_options(section_or_empty(config, "phasediagram"), "phasediagram", phase_diagram_options(), job);
  job.physics_given = config.contains("physics");
  job.physics = physics::Params::from_json(section_or_empty(config, "physics"));
  return job;
}

std::vector<float> predict_frame(const Predictor& predictor, const std::vector<float>& initial,
                                 const std::vector<double>& etas, int n, int frame, int batch) {
  require(batch >= 1 && frame >= 0, "predict_frame: batch >= 1 and frame >= 0");
  const int count = static_cast<int>(etas.size());
  const std::size_t frame_size = static_cast<std::size_t>(n) * n;
  require(initial.size() == count * frame_size,
          "predict_frame: " + std::to_string(initial.size()) + " initial values for " +
              std::to_string(count) + " fields of " + std::to_string(n) + "²");
  std::vector<float> finals(count * frame_size);
  Progress progress("phasediagram: predicted frames", static_cast<long>(count) * frame);
  for (int first = 0; first < count; first += batch) {
    const int b = std::min(batch, count - first);
    const std::vector<float> phi0(initial.begin() + first * frame_size,
                                  initial.begin() + (first + b) * frame_size);
    const std::vector<double> eta(etas.begin() + first, etas.begin() + first + b);
    const std::vector<float> rolled =
        predictor.rollout_batch(phi0, b, n, eta, frame + 1, [&](int) { progress.add(b); });
    for (int k = 0; k < b; ++k) {
      const auto last = rolled.begin() + ((static_cast<std::size_t>(k) * (frame + 1) + frame) * frame_size);
      std::copy(last, last + frame_size, finals.begin() + (first + k) * frame_size);
    }
  }
  return finals;
}

PhaseDiagramResult run_phase_diagram(const PhaseDiagramJob& job, const Predictor& predictor) {
  job.validate();
  const physics::Params solver_physics = grid_physics(job, predictor);
  if (job.grid && job.solver && job.physics_given) check_physics(job, predictor, solver_physics);
  const Inputs in = job.grid ? from_grid(job, solver_physics) : from_dataset(job);
  if (!job.grid) check_physics(job, predictor, in.physics);
  spdlog::info("phasediagram: {} points of {}², frame {}, {}", in.points.size(), in.n, job.frame,
               predictor.description());
  std::vector<double> etas;
  for (const auto& p : in.points) etas.push_back(p.eta);
  const std::vector<float> finals = predict_frame(predictor, in.initial, etas, in.n, job.frame, job.batch);

  const PhaseDiagramResult r = classify_points(in.points, finals, in.solver, in.n, job.threshold, in.physics);
  PhaseDiagramOutput out;
  out.out = job.out;
  out.physics = in.physics;
  out.frame = job.frame;
  out.source = job.grid ? "grid" : job.data;
  out.config = job.to_json();
  write_phase_diagram(r, out);
  log_result(r, job);
  if (job.plots && make_plots("phase", job.out))
    spdlog::info("phasediagram: figure → {}/phase_diagram.png", job.out);
  return r;
}

}  // namespace csd::evaluation
