#include "csd/pipeline/generate.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <random>
#include <vector>

#include "csd/core/background_consumer.h"
#include "csd/core/error.h"
#include "csd/core/memory.h"
#include "csd/core/parallel.h"
#include "csd/core/progress.h"
#include "csd/core/random.h"
#include "csd/init/initial_conditions.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "csd/io/image.h"
#include "csd/io/staged_directory.h"
#include "csd/physics/energy.h"
#include "csd/physics/solver.h"

namespace csd::pipeline {
namespace {

constexpr std::uint64_t kNoiseStream = 0x6e6f697365ULL;  // "noise": separate RNG stream

double uniform_in(std::mt19937_64& rng, const std::array<double, 2>& range) {
  // Not std::uniform_real_distribution: its algorithm is implementation-defined and the
  // datasets must be reproducible across standard libraries (csd/core/random.h).
  return range[0] + (range[1] - range[0]) * uniform01(rng);
}

/// A field read once from --init-from, shared by every sequence.
struct FileInit {
  Field field;
  double mean = 0, amplitude = 0;
};

FileInit load_file_init(const GenerateConfig& c) {
  int n = 0;
  const std::vector<float> values =
      io::read_field(c.init_from, c.init_dataset, c.init_index, 0, &n);
  require(n == c.size, "the field in '" + c.init_from + "' is " + std::to_string(n) + "×" +
                           std::to_string(n) + " but --size is " + std::to_string(c.size) +
                           ": pass --size " + std::to_string(n));
  FileInit init;
  init.field = Eigen::Map<const FieldF>(values.data(), n, n).cast<double>();
  init.mean = init.field.mean();
  init.amplitude = (init.field - init.mean).abs().maxCoeff();
  init::require_initial_mean(init.mean, "'" + c.init_from + "'");
  return init;
}

Field initial_field(const GenerateConfig& c, const SequenceSetup& s, std::uint64_t field_seed,
                    const FileInit* file) {
  if (c.init == "file") return file->field;
  init::SyntheticField spec;
  spec.kind = c.init;
  spec.mean_phi = s.mean_phi;
  spec.amplitude = s.amplitude;
  spec.feature_size = c.feature_size;
  spec.radial_centre = c.radial_centre;
  spec.radial_edge = c.radial_edge;
  spec.seed = field_seed;
  return init::synthetic_field(c.size, spec);
}

struct SequenceResult {
  io::SequenceMeta meta;
  std::vector<float> frames;
  std::vector<physics::Energies> energies;
};

std::string png_path(const std::string& png_dir, int sequence, int frame) {
  char name[64];
  std::snprintf(name, sizeof name, "/seq%05d_t%05d.png", sequence, frame);
  return png_dir + name;
}

/// The record of the sequence drawn as `s`, its initial field in `phi0`, and room for
/// its frames.
SequenceResult start_sequence(const GenerateConfig& c, const SequenceSetup& s,
                              const FileInit* file, Field& phi0) {
  phi0 = initial_field(c, s, s.field_seed, file);
  SequenceResult r;
  r.meta = {s.eta, phi0.mean(), s.amplitude, s.seed};
  if (c.init == "file") r.meta.amplitude = file->amplitude;
  r.frames.resize(static_cast<std::size_t>(c.size) * c.size * c.frames);
  r.energies.resize(c.frames);
  return r;
}

/// Stores frame t of sequence `index`: float32 values, its energies, and the picture
/// when one is due (`png_dir`: where the pictures go, c.png_every > 0).
void record_frame(const GenerateConfig& c, int index, int t, const Field& phi,
                  const physics::Energies& energies, const std::string& png_dir,
                  SequenceResult& r) {
  const std::size_t frame_size = static_cast<std::size_t>(c.size) * c.size;
  float* dst = r.frames.data() + frame_size * t;
  Eigen::Map<FieldF>(dst, c.size, c.size) = phi.cast<float>();
  r.energies[t] = energies;
  const bool pictures = c.png_every > 0 && index < c.png_sequences;
  if (pictures && t % c.png_every == 0) io::write_field_png(png_path(png_dir, index, t), dst, c.size);
}

SequenceResult run_sequence(const GenerateConfig& c, int index, const FileInit* file,
                            const std::string& png_dir, Progress& progress) {
  const SequenceSetup s = draw_sequence(c, index);
  Field phi0;
  SequenceResult r = start_sequence(c, s, file, phi0);
  const physics::PlanEffort plans =
      c.fft_plans == "wisdom" ? physics::PlanEffort::kWisdom : physics::PlanEffort::kEstimate;
  physics::Solver solver(phi0, s.eta, c.physics, {c.noise, s.noise_seed}, plans);
  const physics::EnergyCalculator energy(c.size, c.physics);
  for (int t = 0; t < c.frames; ++t) {
    if (t > 0) solver.advance_frame();
    // The energies come from the spectrum the solver holds: no FFT of their own.
    record_frame(c, index, t, solver.phi(), energy(solver), png_dir, r);
    progress.add(1);
  }
  return r;
}

/// The sequences `indices` advanced together by one batch solver; frames are recorded
/// (energies, float32 values, pictures) on c.threads host threads.
std::vector<SequenceResult> run_batch(const GenerateConfig& c, const std::vector<int>& indices,
                                      const FileInit* file, const std::string& png_dir,
                                      const physics::BatchSolverFactory& make_solver,
                                      Progress& progress) {
  std::vector<SequenceResult> results;
  physics::BatchStart start;
  for (const int index : indices) {
    const SequenceSetup s = draw_sequence(c, index);
    Field phi0;
    results.push_back(start_sequence(c, s, file, phi0));
    start.phi0.push_back(std::move(phi0));
    start.eta.push_back(s.eta);
    start.noise.push_back({c.noise, s.noise_seed});
  }
  const std::unique_ptr<physics::BatchSolver> solver = make_solver(start, c.physics);
  const int members = static_cast<int>(indices.size());
  for (int t = 0; t < c.frames; ++t) {
    if (t > 0) solver->advance_frame();
    const std::vector<Field> phi = solver->phi();
    parallel_for(members, c.threads, [&] { return physics::EnergyCalculator(c.size, c.physics); },
                 [&](int m, const physics::EnergyCalculator& energy) {
                   record_frame(c, indices[m], t, phi[m], energy(phi[m], results[m].meta.eta),
                                png_dir, results[m]);
                 });
    progress.add(members);
  }
  return results;
}

struct IndexedResult {
  int index = 0;
  SequenceResult result;
};

/// Whether the FFTW path leaves a core free for a writer thread: fewer solver threads
/// than cores, and more than one sequence to overlap with.
bool has_spare_core(const GenerateConfig& c, std::size_t sequences) {
  const int workers = worker_count(c.threads, static_cast<int>(sequences));
  return sequences > 1 && workers < resolve_threads(0);
}

/// The config stored in the file: what determines the data, without run control
/// (output path, threads, pictures, partial runs, shard), so that the file bytes do not
/// depend on how the run was scheduled. The shard is stored in its own attributes.
Json stored_config(const GenerateConfig& c) {
  Json j = c.to_json();
  for (const char* key :
       {"out", "threads", "png_every", "png_sequences", "max_new_sequences", "batch", "shard"})
    j["generate"].erase(key);
  return j;
}

io::DatasetWriter::Mode writer_mode(const GenerateConfig& c) {
  if (c.resume) return io::DatasetWriter::Mode::kResume;
  if (c.overwrite) return io::DatasetWriter::Mode::kOverwrite;
  return io::DatasetWriter::Mode::kCreate;
}

}  // namespace

SequenceSetup draw_sequence(const GenerateConfig& c, int index) {
  SequenceSetup s;
  s.seed = init::sequence_seed(c.seed, static_cast<std::uint64_t>(index));
  s.noise_seed = init::sequence_seed(s.seed ^ kNoiseStream, 0);
  // Fixed draw order; a fixed value still consumes its draw so that fixing one
  // parameter does not change the others.
  std::mt19937_64 rng(s.seed);
  const double eta = uniform_in(rng, c.eta_range);
  const double mean = uniform_in(rng, c.mean_phi_range);
  const double amp = std::abs(c.amplitude_std * standard_normal(rng));
  s.eta = c.eta.value_or(eta);
  s.mean_phi = c.mean_phi.value_or(mean);
  s.amplitude = c.amplitude.value_or(amp);
  s.field_seed = rng();
  return s;
}

/// Bytes a run holds at once: per worker thread the solver's fields and FFT buffers
/// (≈ 112 B per pixel) and one sequence's frames with their encoded chunks (≈ 4 B per
/// pixel and frame); measured with /usr/bin/time at N = 512–2048 (docs/numerics.md).
/// The torch solver holds a whole batch at once: its frames, and per pixel and member
/// the host fields and the LibTorch state and step temporaries. Measured on the CPU
/// (/usr/bin/time, N = 512, T = 3, batch 8 against batch 1: 343 vs 194 MB peak RSS) that
/// is ≈ 70 B per pixel and member besides the frames; 200 B leaves room for allocator
/// caching (on a GPU much of it is device memory instead).
double estimated_bytes(const GenerateConfig& c) {
  const double pixels = static_cast<double>(c.size) * c.size;
  if (c.solver == "torch")
    return std::min(c.batch, c.sequences) * pixels * (200.0 + 4.0 * c.frames);
  const int workers = worker_count(c.threads, c.sequences);
  // With a writer thread, up to one finished sequence per worker waits in its queue and
  // one is being written.
  const int queued = has_spare_core(c, static_cast<std::size_t>(c.sequences)) ? workers + 1 : 0;
  return workers * pixels * (112.0 + 4.0 * c.frames) + queued * pixels * 4.0 * c.frames;
}

GenerateSummary generate(const GenerateConfig& c, const physics::BatchSolverFactory& batch_solver) {
  c.validate();
  require(c.solver != "torch" || batch_solver,
          "--solver torch needs csd built with LibTorch (cmake -DCSD_WITH_TORCH=ON); this "
          "build has only --solver fftw");
  require_memory(estimated_bytes(c),
                 fmt::format("generate ({} sequences of {} frames of {}², threads {})",
                             c.sequences, c.frames, c.size, c.threads),
                 c.solver == "torch" ? "lower --size, --frames or --batch"
                                     : "lower --size, --frames or --threads");
  const auto start = std::chrono::steady_clock::now();
  FileInit file;
  if (c.init == "file") file = load_file_init(c);

  io::DatasetInfo info;
  info.shape = {c.sequences, c.frames, c.size};
  info.physics = c.physics;
  info.noise = c.noise;
  info.config_json = stored_config(c).dump();
  info.csd_version = CSD_VERSION;
  info.source = "solver";
  info.shard = parse_shard(c.shard);
  io::DatasetWriter writer(c.out, info, writer_mode(c));
  // Pictures go to "<out>.png.part" and replace "<out>.png" with the finished dataset,
  // so a killed --overwrite never leaves a mix of old and new pictures.
  std::optional<io::StagedDirectory> pictures;
  if (c.png_every > 0)
    pictures.emplace(c.out + ".png", c.overwrite,
                     c.resume ? io::StagedDirectory::Unfinished::kResume
                              : io::StagedDirectory::Unfinished::kKeep);
  const std::string png_dir = pictures ? pictures->path() : std::string();

  GenerateSummary summary;
  std::vector<int> todo;
  int owned = 0;
  for (int i = 0; i < c.sequences; ++i) {
    if (!info.shard.owns(i)) continue;
    ++owned;
    if (writer.completed()[i])
      ++summary.sequences_already_complete;
    else
      todo.push_back(i);
  }
  const bool partial_run =
      c.max_new_sequences > 0 && static_cast<int>(todo.size()) > c.max_new_sequences;
  if (partial_run) todo.resize(c.max_new_sequences);
  summary.sequences_left =
      owned - summary.sequences_already_complete - static_cast<int>(todo.size());
  if (summary.sequences_already_complete > 0)
    spdlog::info("resuming: {} of {} sequences already complete",
                 summary.sequences_already_complete, owned);

  Progress progress("frames", static_cast<long>(todo.size()) * c.frames);
  if (c.solver == "torch") {
    // One batch at a time; its sequences are compressed on c.threads host threads and
    // committed in index order, as in the FFTW path below.
    for (std::size_t first = 0; first < todo.size(); first += static_cast<std::size_t>(c.batch)) {
      const std::vector<int> indices(
          todo.begin() + static_cast<long>(first),
          todo.begin() + static_cast<long>(std::min(todo.size(), first + c.batch)));
      const std::vector<SequenceResult> results =
          run_batch(c, indices, &file, png_dir, batch_solver, progress);
      parallel_for(static_cast<int>(indices.size()), c.threads, [&](int m) {
        const SequenceResult& r = results[static_cast<std::size_t>(m)];
        writer.write_sequence(indices[static_cast<std::size_t>(m)], r.meta, r.frames, r.energies);
      });
    }
  } else if (has_spare_core(c, todo.size())) {
    // A writer thread compresses and writes each finished sequence on the spare core
    // while the solver threads go on with the next ones. The queue holds at most one
    // finished sequence per solver thread, so memory stays bounded. After a solver's
    // failure no new sequence starts; the finished ones are still written to the .part
    // file (the consumer drains its queue while the error unwinds).
    const int workers = worker_count(c.threads, static_cast<int>(todo.size()));
    BackgroundConsumer<IndexedResult> sink(static_cast<std::size_t>(workers),
                                           [&](IndexedResult& done) {
                                             const SequenceResult& r = done.result;
                                             writer.write_sequence(done.index, r.meta, r.frames,
                                                                   r.energies);
                                           });
    parallel_for(static_cast<int>(todo.size()), c.threads, [&](int position) {
      const int index = todo[static_cast<std::size_t>(position)];
      sink.push({index, run_sequence(c, index, &file, png_dir, progress)});
    });
    sink.finish();
    summary.writer_thread = true;
  } else {
    // Every core solves: the writer compresses in the worker's thread. It commits
    // sequences in index order either way, so the file does not depend on the thread
    // count or on the writer thread. After a failure no new sequence starts; the
    // finished ones stay in the .part file.
    parallel_for(static_cast<int>(todo.size()), c.threads, [&](int position) {
      const int index = todo[static_cast<std::size_t>(position)];
      SequenceResult r = run_sequence(c, index, &file, png_dir, progress);
      writer.write_sequence(index, r.meta, r.frames, r.energies);
    });
  }

  if (partial_run) {
    spdlog::info("stopped after {} new sequences as asked; continue with --resume", todo.size());
  } else {
    writer.finish();
    if (pictures) pictures->commit();
    summary.finished = true;
  }
  summary.sequences_written = static_cast<int>(todo.size());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.frames_per_second =
      summary.seconds > 0 ? summary.sequences_written * (c.frames - 1) / summary.seconds : 0;
  return summary;
}

}  // namespace csd::pipeline
