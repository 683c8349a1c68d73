// csd analyze: per-frame descriptors of any dataset in the csd schema (paper Fig. 5).
//   csd analyze test.h5 --out analysis/test
//   csd analyze eval/surrogate.h5 --out analysis/nn --threads 4 --no-plots
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/core/progress.h"
#include "csd/evaluation/analyze.h"
#include "csd/evaluation/plots.h"

namespace csd::app {
namespace {

struct AnalyzeFlags {
  std::string config, input, out;
  int threads = 0, max_sequences = 0, frames = 0;
  bool no_plots = false;
};

}  // namespace

void setup_analyze(CLI::App& parent) {
  auto flags = std::make_shared<AnalyzeFlags>();
  CLI::App* app = parent.add_subcommand(
      "analyze",
      "Descriptors of every frame of a dataset (solver, surrogate rollout or your own file):\n"
      "energies <f> = 2<w> + <rho>, <w>, <rho>, gradient and exact F; interface length 2<w>;\n"
      "HOG isotropy I; boundary fractal dimension D_b; <phi>, min and max phi.\n"
      "Writes OUT/frames.csv, OUT/ensemble.csv (median and quartiles over sequences per\n"
      "frame), OUT/summary.json and OUT/descriptors.png.");
  app->add_option("--config", flags->config,
                  "JSON config (section analyze: input, out, threads, max_sequences, "
                  "max_frames); flags override it")
      ->check(CLI::ExistingFile);
  auto* o_input = app->add_option("input", flags->input, "dataset (HDF5, csd schema)");
  auto* o_out = app->add_option("-o,--out", flags->out, "output directory (created if needed)");
  auto* o_threads = app->add_option("--threads", flags->threads,
                                    "worker threads, one sequence each [0 = all cores]");
  auto* o_seq = app->add_option("--max-sequences", flags->max_sequences,
                                "analyse only the first K sequences [0 = all]");
  auto* o_frames = app->add_option("--frames", flags->frames,
                                   "analyse only the first T frames [0 = all]");
  app->add_flag("--no-plots", flags->no_plots, "skip the PNG figure (CSV/JSON only)");

  app->callback([flags, o_input, o_out, o_threads, o_seq, o_frames] {
    const AnalyzeFlags& f = *flags;
    evaluation::AnalyzeOptions o = evaluation::AnalyzeOptions::from_json(load_config(f.config));
    override_if_given(o_input, f.input, o.input);
    override_if_given(o_out, f.out, o.out);
    override_if_given(o_threads, f.threads, o.threads);
    override_if_given(o_seq, f.max_sequences, o.max_sequences);
    override_if_given(o_frames, f.frames, o.max_frames);
    o.threads = resolve_threads(o.threads);
    o.validate();
    log_config("analyze", o.to_json());
    const evaluation::AnalyzeSummary s = evaluation::analyze_dataset(o);
    spdlog::info("analyze: {} sequences × {} frames of {}² in {} → {}", s.sequences, s.frames,
                 s.size, format_duration(s.seconds), o.out);
    if (!f.no_plots && evaluation::make_plots("analyze", o.out))
      spdlog::info("analyze: figure → {}/descriptors.png", o.out);
  });
}

}  // namespace csd::app
