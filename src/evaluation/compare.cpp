#include "csd/evaluation/compare.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>

#include "coarsening.h"
#include "common.h"
#include "compare_frames.h"
#include "compare_inputs.h"
#include "compare_summary.h"
#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/io/fs.h"
#include "snapshot_sheet.h"

// compare_datasets runs the jobs in order: compare_inputs.cpp checks the inputs,
// compare_frames.cpp measures each frame pair, snapshot_sheet.cpp draws the PNGs,
// ensemble_table.h writes the CSV tables and compare_summary.cpp the figures and summary.json.

namespace csd::evaluation {
namespace {

using detail::SharedReader;

/// Frames marked in the snapshots besides the first and the last: H, 5H, 10H with a
/// horizon, else the headline frame.
std::vector<int> marked_frames(const CompareOptions& o, int frames) {
  if (o.horizon <= 0) return {o.headline_frame};
  std::vector<int> marked;
  for (const auto& [multiple, frame] : detail::horizon_frames(frames, o.horizon))
    marked.push_back(frame);
  return marked;
}

/// η and ⟨φ⟩ of each sequence, written on each of its rows in per_sequence.csv.
std::vector<detail::SequenceKey> sequence_keys(const std::vector<io::SequenceMeta>& metas) {
  detail::SequenceKey eta{"eta", {}}, mean_phi{"mean_phi", {}};
  for (const io::SequenceMeta& m : metas) {
    eta.values.push_back(m.eta);
    mean_phi.values.push_back(m.mean_phi);
  }
  return {eta, mean_phi};
}

}  // namespace

void CompareOptions::validate() const {
  require(!prediction.empty(), "no prediction dataset (A) given");
  require(!reference.empty(), "no reference dataset (B) given");
  require(!out.empty(), "no output directory: pass --out DIR");
  require(max_sequences >= 0, "max_sequences must be >= 0 (0 = all)");
  require(max_frames >= 0, "max_frames must be >= 0 (0 = all)");
  require(threads >= 0, "threads must be >= 0 (0 = all cores)");
  require(snapshot_sequences >= 0, "snapshot_sequences must be >= 0");
  require(headline_frame >= 0, "headline_frame must be >= 0");
  require(horizon >= 0, "horizon must be >= 0 frames (0 = unknown)");
  detail::validate_fit_options(fit_start, fit_end, fit_confidence);
  for (const auto& t : {prediction_seconds_per_frame, reference_seconds_per_frame})
    require(!t || (std::isfinite(*t) && *t >= 0), "seconds per frame must be finite and >= 0");
}

Json CompareOptions::to_json() const {
  Json c{{"prediction", prediction},
         {"reference", reference},
         {"out", out},
         {"prediction_label", prediction_label},
         {"reference_label", reference_label},
         {"allow_frame_mismatch", allow_frame_mismatch},
         {"allow_physics_mismatch", allow_physics_mismatch},
         {"max_sequences", max_sequences},
         {"max_frames", max_frames},
         {"threads", threads},
         {"snapshot_sequences", snapshot_sequences},
         {"headline_frame", headline_frame},
         {"horizon", horizon},
         {"fit_start", fit_start},
         {"fit_end", fit_end},
         {"fit_confidence", fit_confidence}};
  return {{"compare", c}};
}

CompareOptions CompareOptions::from_json(const Json& config) {
  const Json c = section_or_empty(config, "compare");
  reject_unknown_keys(c,
                      {"prediction", "reference", "out", "prediction_label", "reference_label",
                       "allow_frame_mismatch", "allow_physics_mismatch", "max_sequences",
                       "max_frames", "threads", "snapshot_sequences", "headline_frame", "horizon",
                       "fit_start", "fit_end", "fit_confidence"},
                      "compare");
  CompareOptions o;
  read_key(c, "prediction", o.prediction, "compare");
  read_key(c, "reference", o.reference, "compare");
  read_key(c, "out", o.out, "compare");
  read_key(c, "prediction_label", o.prediction_label, "compare");
  read_key(c, "reference_label", o.reference_label, "compare");
  read_key(c, "allow_frame_mismatch", o.allow_frame_mismatch, "compare");
  read_key(c, "allow_physics_mismatch", o.allow_physics_mismatch, "compare");
  read_key(c, "max_sequences", o.max_sequences, "compare");
  read_key(c, "max_frames", o.max_frames, "compare");
  read_key(c, "threads", o.threads, "compare");
  read_key(c, "snapshot_sequences", o.snapshot_sequences, "compare");
  read_key(c, "headline_frame", o.headline_frame, "compare");
  read_key(c, "horizon", o.horizon, "compare");
  read_key(c, "fit_start", o.fit_start, "compare");
  read_key(c, "fit_end", o.fit_end, "compare");
  read_key(c, "fit_confidence", o.fit_confidence, "compare");
  return o;
}

CompareSummary compare_datasets(const CompareOptions& o) {
  o.validate();
  const auto start = std::chrono::steady_clock::now();
  const SharedReader a(o.prediction), b(o.reference);
  const detail::Extent e = detail::check_inputs(a, b, o);
  const detail::FitWindow window =
      detail::fit_window(o.fit_start, o.fit_end, e.frames, o.fit_confidence);
  const physics::Params& physics = b.info().physics;
  const double tau = physics.frame_time();

  io::ensure_directory(o.out);
  const int pictures = std::min(o.snapshot_sequences, e.sequences);
  if (pictures > 0) io::ensure_directory(o.out + "/snapshots");
  const std::vector<int> rows = detail::snapshot_frames(e.frames, marked_frames(o, e.frames));

  std::vector<io::SequenceMeta> metas(e.sequences);
  for (int s = 0; s < e.sequences; ++s) metas[s] = b.meta(s);
  detail::PairRecords records(e.sequences);
  // S(k) also at H, 5H, 10H (the frames the snapshots mark, when there is a horizon).
  const std::vector<int> structure_frames = detail::structure_frames(
      e.frames, o.horizon > 0 ? marked_frames(o, e.frames) : std::vector<int>{});
  detail::StructureProfiles profiles_a(structure_frames, e.sequences),
      profiles_b(structure_frames, e.sequences);
  CompareSummary summary;
  for (int s = 0; s < pictures; ++s) summary.snapshots.push_back(detail::snapshot_path(o.out, s));

  Progress progress("compare: frame pairs", static_cast<long>(e.sequences) * e.frames);
  detail::parallel_for(
      e.sequences, o.threads, [&] { return detail::FrameTools(e.size, physics); },
      [&](int s, const detail::FrameTools& tools) {
        std::optional<detail::SnapshotSheet> sheet;
        if (s < pictures) sheet.emplace(e.size, rows, o.reference_label, o.prediction_label);
        records[s].resize(e.frames);
        const std::vector<float> initial_b = b.read_frame(s, 0);
        for (int j = 0; j < e.frames; ++j) {
          const std::vector<float> phi_a = a.read_frame(s, j), phi_b = b.read_frame(s, j);
          records[s][j] = detail::compare_frame(tools, phi_a, phi_b, initial_b, metas[s].eta);
          if (const int slot = profiles_a.slot(j); slot >= 0) {
            const analysis::StructureFactor& sf = tools.descriptors.structure_factor();
            profiles_a.set(s, slot, sf.radial(phi_a.data()));
            profiles_b.set(s, slot, sf.radial(phi_b.data()));
          }
          if (sheet) sheet->add_frame(j, phi_b, phi_a);
          progress.add();
        }
        if (sheet) sheet->write(summary.snapshots[s]);
      });

  summary.sequences = e.sequences;
  summary.frames = e.frames;
  summary.size = e.size;
  summary.initial_max_abs_diff = e.initial_max_abs_diff;
  const detail::PairTable table(detail::pair_columns(), records, e.frames, tau);
  detail::add_figures(summary, table, e, o);
  const detail::Coarsening coarsening = detail::add_coarsening(summary, table, e, o, window);
  summary.per_sequence_csv = o.out + "/per_sequence.csv";
  summary.ensemble_csv = o.out + "/ensemble.csv";
  summary.structure_csv = o.out + "/structure_factor.csv";
  summary.summary_json = o.out + "/summary.json";
  std::vector<int> ids(e.sequences);
  std::iota(ids.begin(), ids.end(), 0);
  table.write_rows_csv(summary.per_sequence_csv, ids, sequence_keys(metas));
  table.write_ensemble_csv(summary.ensemble_csv);
  detail::write_structure_csv(summary.structure_csv, tau, {"s_a", "s_b"},
                              {&profiles_a, &profiles_b});
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io::atomic_write_text(summary.summary_json,
                        detail::summary_json(o, a, b, e, table, summary, coarsening, structure_frames).dump(2) + "\n");
  return summary;
}

}  // namespace csd::evaluation
