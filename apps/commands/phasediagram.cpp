// csd phasediagram: reconstruct the (⟨φ⟩, η) phase diagram with the surrogate (paper
// Sec. 3.4, Fig. 8a) and compare it with the solver.
//   csd phasediagram --model best.pt --data test.h5 --out phase/test
//   csd phasediagram --model best.pt --grid --phi-range 0.15 0.85 --eta-range 0 0.012
//                    --phi-points 15 --eta-points 13 --size 64 --solver --out phase/grid
// The work is evaluation::run_phase_diagram (csd/evaluation/phase_diagram_job.h).
// Needs LibTorch: without CSD_WITH_TORCH this file compiles to nothing.
#ifdef CSD_WITH_TORCH

#include <memory>

#include "command.h"
#include "csd/core/error.h"
#include "csd/evaluation/phase_diagram_job.h"
#include "csd/surrogate/predictor.h"
#include "options_cli.h"

namespace csd::app {

void setup_phasediagram(CLI::App& parent) {
  using evaluation::PhaseDiagramJob;
  CLI::App* app = parent.add_subcommand(
      "phasediagram",
      "Classify (<phi>, eta) points as single phase (max phi - min phi < threshold at frame F)\n"
      "or phase separated with the surrogate, and compare with the solver (paper Fig. 8a).\n"
      "--data F.h5: points are the sequences of F (solver class from F's frame F, surrogate\n"
      "rolled out from phi_0). --grid: a regular grid of Perlin initial fields; --solver runs\n"
      "the solver on them too. Writes OUT/points.csv, OUT/summary.json (with the analytic\n"
      "spinodal line) and OUT/phase_diagram.png.");
  auto config = std::make_shared<std::string>();
  auto no_plots = std::make_shared<bool>(false);
  app->add_option("--config", *config,
                  "JSON config (sections phasediagram, physics; keys = flag names with _)")
      ->check(CLI::ExistingFile);
  auto flags = std::make_shared<OptionFlags<PhaseDiagramJob>>(
      app, evaluation::phase_diagram_options(), std::vector<std::string>{"plots"});
  app->add_flag("--no-plots", *no_plots, "skip the PNG figure");

  app->callback([config, flags, no_plots] {
    PhaseDiagramJob job = PhaseDiagramJob::from_json(load_config(*config));
    flags->apply(job);
    if (*no_plots) job.plots = false;
    job.threads = resolve_threads(job.threads);
    require(!job.model.empty(), "no surrogate: pass --model CKPT");
    job.validate();
    log_config("phasediagram", job.to_json());
    const auto model = surrogate::load_predictor(job.model, {job.device, job.threads});
    evaluation::run_phase_diagram(job, *model);
  });
}

}  // namespace csd::app

#endif  // CSD_WITH_TORCH
