#include "csd/evaluation/analyze.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "coarsening.h"
#include "common.h"
#include "ensemble_table.h"
#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/io/fs.h"

namespace csd::evaluation {
namespace {

using detail::FrameRecord;
using Records = detail::FrameTable<FrameRecord>::Records;

/// Complete sequences among the first `count`; a partial file may hold unfinished ones.
std::vector<int> complete_sequences(const detail::SharedReader& reader, int count) {
  const std::vector<bool> complete = reader.completed();
  std::vector<int> sequences;
  for (int s = 0; s < count; ++s)
    if (complete[s]) sequences.push_back(s);
  return sequences;
}

}  // namespace

void AnalyzeOptions::validate() const {
  require(!input.empty(), "no dataset given: pass the HDF5 file to analyze (csd analyze F.h5)");
  require(!out.empty(), "no output directory: pass --out DIR");
  require(threads >= 0, "threads must be >= 0 (0 = all cores)");
  require(max_sequences >= 0, "max_sequences must be >= 0 (0 = all)");
  require(max_frames >= 0, "max_frames must be >= 0 (0 = all)");
  detail::validate_fit_options(fit_start, fit_end, fit_confidence);
}

const OptionTable<AnalyzeOptions>& analyze_options() {
  using O = AnalyzeOptions;
  static const OptionTable<O> table = [] {
    OptionTable<O> t = {
      {"input", "dataset (HDF5, csd schema); also the positional argument",
       [](O& o) -> OptionRef { return &o.input; }},
      {"out", "output directory (created if needed)", [](O& o) -> OptionRef { return &o.out; }, {}, "-o"},
      {"threads", "worker threads, one sequence each [0 = all cores]",
       [](O& o) -> OptionRef { return &o.threads; }},
      {"max_sequences", "analyse only the first K sequences [0 = all]",
       [](O& o) -> OptionRef { return &o.max_sequences; }},
      {"max_frames", "analyse only the first T frames [0 = all]",
       [](O& o) -> OptionRef { return &o.max_frames; }, {}, "--frames"},
    };
    detail::add_fit_options(t, &O::fit_start, &O::fit_end, &O::fit_confidence);
    return t;
  }();
  return table;
}

Json AnalyzeOptions::to_json() const { return {{"analyze", options_to_json(analyze_options(), *this)}}; }

AnalyzeOptions AnalyzeOptions::from_json(const Json& config) {
  AnalyzeOptions o;
  read_options(section_or_empty(config, "analyze"), "analyze", analyze_options(), o);
  return o;
}

AnalyzeSummary analyze_dataset(const AnalyzeOptions& o) {
  o.validate();
  const auto start = std::chrono::steady_clock::now();
  const detail::SharedReader reader(o.input);
  const io::DatasetShape& shape = reader.shape();
  const physics::Params& physics = reader.info().physics;
  const double tau = physics.frame_time();
  const int candidates = detail::limit(shape.sequences, o.max_sequences);
  const int frames = detail::limit(shape.frames, o.max_frames);

  AnalyzeSummary summary;
  const std::vector<int> sequences = complete_sequences(reader, candidates);
  summary.skipped_sequences = candidates - static_cast<int>(sequences.size());
  if (summary.skipped_sequences > 0)
    spdlog::warn("analyze: skipping {} incomplete sequences of '{}'", summary.skipped_sequences,
                 o.input);
  require(!sequences.empty(), "'" + o.input +
                                  "' holds no complete sequence; finish it with "
                                  "`csd generate --resume` first");
  // Fail on an unsuitable grid or non-finite data before creating any output.
  analysis::require_descriptor_grid(shape.size);
  const detail::FitWindow window = detail::fit_window(o.fit_start, o.fit_end, frames, o.fit_confidence);
  detail::require_finite_inputs(reader, o.input, sequences, frames);
  io::ensure_directory(o.out);

  const int count = static_cast<int>(sequences.size());
  std::vector<double> etas(sequences.size());
  for (int i = 0; i < count; ++i) etas[i] = reader.meta(sequences[i]).eta;
  Records records(sequences.size());
  detail::StructureProfiles profiles(detail::structure_frames(frames), count);
  Progress progress("analyze: frames", static_cast<long>(count) * frames);
  detail::parallel_for(
      count, o.threads, [&] { return analysis::FrameAnalyzer(shape.size, physics); },
      [&](int i, const analysis::FrameAnalyzer& analyzer) {
        records[i].resize(frames);
        for (int j = 0; j < frames; ++j) {
          const std::vector<float> phi = reader.read_frame(sequences[i], j);
          records[i][j] = detail::describe_frame(analyzer, phi.data(), etas[i]);
          if (const int slot = profiles.slot(j); slot >= 0)
            profiles.set(i, slot, analyzer.structure_factor().radial(phi.data()));
          progress.add();
        }
      });

  summary.sequences = count;
  summary.frames = frames;
  summary.size = shape.size;
  summary.frames_csv = o.out + "/frames.csv";
  summary.ensemble_csv = o.out + "/ensemble.csv";
  summary.structure_csv = o.out + "/structure_factor.csv";
  summary.summary_json = o.out + "/summary.json";
  const detail::FrameTable<FrameRecord> table(detail::frame_columns(), records, frames, tau);
  table.write_rows_csv(summary.frames_csv, sequences, {{"eta", etas}});
  table.write_ensemble_csv(summary.ensemble_csv);
  detail::write_structure_csv(summary.structure_csv, tau, {"s"}, {&profiles});
  const detail::GrowthFit growth =
      detail::fit_growth(table.frame_values(detail::frame_column(&FrameRecord::length)), tau, window);
  summary.growth = growth.median;
  if (!growth.median) spdlog::warn("analyze: no growth exponent: {}", growth.reason);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Json j;
  j["kind"] = "analyze";
  j["input"] = o.input;
  j["source"] = reader.info().source;
  j["sequences"] = count;
  j["skipped_sequences"] = summary.skipped_sequences;
  j["frames"] = frames;
  j["size"] = shape.size;
  j["tau"] = tau;
  j["physics"] = physics.to_json();
  j["noise"] = reader.info().noise;
  j["seconds"] = summary.seconds;
  j["threads"] = detail::worker_count(o.threads, count);
  j["config"] = o.to_json();
  j["first_frame"] = table.quartiles_json(0);
  j["last_frame"] = table.quartiles_json(frames - 1);
  j["coarsening"] = {{"fit", detail::window_json(window, tau)},
                     {"growth", detail::growth_json(growth)},
                     {"structure_frames", profiles.frames()}};
  io::atomic_write_text(summary.summary_json, j.dump(2) + "\n");
  return summary;
}

}  // namespace csd::evaluation
