// csd analyze: per-frame descriptors of any dataset in the csd schema (paper Fig. 5).
//   csd analyze test.h5 --out analysis/test
//   csd analyze eval/surrogate.h5 --out analysis/nn --threads 4 --no-plots
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/core/progress.h"
#include "csd/evaluation/analyze.h"
#include "csd/evaluation/plots.h"
#include "options_cli.h"

namespace csd::app {

void setup_analyze(CLI::App& parent) {
  using evaluation::AnalyzeOptions;
  CLI::App* app = parent.add_subcommand(
      "analyze",
      "Descriptors of every frame of a dataset (solver, surrogate rollout or your own file):\n"
      "energies <f> = 2<w> + <rho>, <w>, <rho>, gradient and exact F; interface length 2<w>;\n"
      "HOG isotropy I; boundary fractal dimension D_b; <phi>, min and max phi; coarsening:\n"
      "L = 2 pi / k1 of the structure factor S(k), its <10>/<11> anisotropy, Euler\n"
      "characteristic and domain count of phi > 1/2, and the growth exponent n of L ~ t^n.\n"
      "Writes OUT/frames.csv, OUT/ensemble.csv (median and quartiles over sequences per\n"
      "frame), OUT/structure_factor.csv, OUT/summary.json (\"coarsening\": n and its interval),\n"
      "OUT/descriptors.png and OUT/coarsening.png.");
  auto config = std::make_shared<std::string>();
  auto input = std::make_shared<std::string>();
  auto no_plots = std::make_shared<bool>(false);
  app->add_option("--config", *config,
                  "JSON config (section analyze; keys = long flag names with _); flags override it")
      ->check(CLI::ExistingFile);
  auto* o_input = app->add_option("input", *input, "dataset (HDF5, csd schema)");
  auto flags = std::make_shared<OptionFlags<AnalyzeOptions>>(app, evaluation::analyze_options());
  o_input->excludes(app->get_option("--input"));
  app->add_flag("--no-plots", *no_plots, "skip the PNG figure (CSV/JSON only)");

  app->callback([config, input, no_plots, flags, o_input] {
    AnalyzeOptions o = AnalyzeOptions::from_json(load_config(*config));
    flags->apply(o);
    override_if_given(o_input, *input, o.input);
    o.threads = resolve_threads(o.threads);
    o.validate();
    log_config("analyze", o.to_json());
    const evaluation::AnalyzeSummary s = evaluation::analyze_dataset(o);
    spdlog::info("analyze: {} sequences × {} frames of {}² in {} → {}", s.sequences, s.frames,
                 s.size, format_duration(s.seconds), o.out);
    if (s.growth)
      spdlog::info("analyze: L ~ t^n over t in [{:g}, {:g}]: n = {:.3f} [{:.3f}, {:.3f}] ({:g} %)",
                   s.growth->t_min, s.growth->t_max, s.growth->exponent, s.growth->lower,
                   s.growth->upper, 100 * s.growth->confidence);
    if (!*no_plots && evaluation::make_plots("analyze", o.out))
      spdlog::info("analyze: figures → {}/descriptors.png, coarsening.png", o.out);
  });
}

}  // namespace csd::app
