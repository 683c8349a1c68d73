// csd evaluate: judge the surrogate against the solver on a test set (paper Figs. 4–6),
// or compare any two datasets that start from the same initial fields.
//   csd evaluate --model runs/paper/best.pt --data test.h5 --out eval/test
//   csd evaluate --data noisy.h5 --against test.h5 --out eval/noise      (no model)
//   csd evaluate --model M.pt --data test.h5 --out eval/gif --gif 2       (+ eval/gif/animation.gif)
// The work is evaluation::run_evaluate (csd/evaluation/evaluate.h).
#include <memory>

#include "command.h"
#include "csd/core/error.h"
#include "csd/evaluation/evaluate.h"
#include "options_cli.h"
#ifdef CSD_WITH_TORCH
#include "csd/surrogate/predictor.h"
#endif

namespace csd::app {
namespace {

using evaluation::EvaluateJob;

std::unique_ptr<evaluation::Predictor> load_model(const EvaluateJob& job) {
  if (job.model.empty()) return nullptr;
#ifdef CSD_WITH_TORCH
  return surrogate::load_predictor(job.model, {job.device, job.threads});
#else
  throw Error("--model needs csd built with LibTorch (cmake -DCSD_WITH_TORCH=ON); to compare "
              "two datasets use --data A.h5 --against B.h5");
#endif
}

}  // namespace

void setup_evaluate(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "evaluate",
      "Judge a prediction against a reference frame by frame (paper Figs. 4-6).\n"
      "With --model: roll the surrogate out from each sequence's phi_0 and eta of --data (the\n"
      "solver test set), write OUT/surrogate.h5, time surrogate and solver per frame, compare.\n"
      "With --against B.h5: compare --data (A, e.g. a noisy solver run) with B.\n"
      "Outputs: OUT/per_sequence.csv, OUT/ensemble.csv (median/IQR per frame of MAE, interface\n"
      "error, f, w, rho, I, D_b, L, anisotropy, Euler characteristic, domains, near-grid rms,\n"
      "phi range), OUT/structure_factor.csv (S(k) of both), OUT/summary.json (with\n"
      "\"coarsening\": n of L ~ t^n for both, L_A / L_B at H, 5H, 10H),\n"
      "OUT/snapshots/*.png (B | A | |dphi| at frames 0, 100 or H, 5H, 10H, last) and\n"
      "OUT/{mae,interface_error,descriptors,long_horizon,coarsening}.png; with --gif K\n"
      "OUT/animation.gif (sequence 0 as B | A | |dphi|, every K-th frame).");
  auto config = std::make_shared<std::string>();
  auto no_plots = std::make_shared<bool>(false);
  app->add_option("--config", *config,
                  "JSON config (section evaluate; keys = long flag names with _, plus plots: false for "
                  "--no-plots); flags override it")
      ->check(CLI::ExistingFile);
  auto flags = std::make_shared<OptionFlags<EvaluateJob>>(app, evaluation::evaluate_options(),
                                                           std::vector<std::string>{"plots"});
  app->add_flag("--no-plots", *no_plots, "skip the PNG figures");

  app->callback([config, flags, no_plots] {
    EvaluateJob job = EvaluateJob::from_json(load_config(*config));
    flags->apply(job);
    if (*no_plots) job.plots = false;
    job.threads = resolve_threads(job.threads);
    job.validate();
    log_config("evaluate", job.to_json());
    const std::unique_ptr<evaluation::Predictor> model = load_model(job);
    evaluation::log_evaluation(evaluation::run_evaluate(job, model.get()), job);
  });
}

}  // namespace csd::app
